// The engine's API takes and returns `RandomSource` (training steps draw dropout masks from it), so its clients see
// the generators without importing RNNCore themselves.
@_exported import RNNCore
