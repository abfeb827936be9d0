"""The pure core: building requests, decoding responses, signing, policies.

Nothing in this package opens a socket, touches an event loop, sleeps or reads the clock
without being handed one, so all of it is tested with plain values.
"""
