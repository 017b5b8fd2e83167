"""Weekly digest e-mails: subscriptions, build (pure) -> render (pure templates) -> send (SMTP)."""
