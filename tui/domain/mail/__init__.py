"""Invitations and replies by e-mail (iMIP, RFC 6047): compose, queue, send, read replies."""
