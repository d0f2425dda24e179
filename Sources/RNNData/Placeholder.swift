public enum RNNDataPlaceholder {}
