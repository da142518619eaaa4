class FalClientError(Exception):
    pass
