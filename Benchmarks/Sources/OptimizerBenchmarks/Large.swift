func runLarge() { print("large batch: not yet") }
