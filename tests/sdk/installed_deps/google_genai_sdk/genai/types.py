class SafetySetting:
    def __init__(self, category, threshold):
        self.category, self.threshold = category, threshold
