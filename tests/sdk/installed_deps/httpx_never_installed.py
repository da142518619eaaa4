async def aclose(client):
    return None
