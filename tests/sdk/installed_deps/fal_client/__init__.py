async def submit_async(model, arguments):
    raise NotImplementedError
