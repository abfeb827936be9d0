"""Resource namespaces of the client (``client.orders``, ``client.instructions``...)."""
