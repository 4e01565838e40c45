"""One adapter per email provider: its webhook payload in, a raw RFC 822 message out."""
