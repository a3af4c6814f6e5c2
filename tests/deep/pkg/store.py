class Item:
    def __init__(self, key, text):
        self.key = key
        self.text = text


class Store:
    def __init__(self):
        self.items = []

    def put(self, key):
        self.items.append(Item(key, "item-%d-" % key + "z" * 200))  # LEAK-LINE
