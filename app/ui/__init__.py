"""The reviewer UI: server-rendered pages over the review, order and audit services."""
