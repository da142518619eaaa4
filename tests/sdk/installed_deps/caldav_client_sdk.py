class DAVClient:
    def __init__(self, url):
        self.url = url
