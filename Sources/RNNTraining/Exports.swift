// Training parameters are `ParameterValue`s (defined in RNNCore so the engine can read model options too); clients
// of the training layer use them without importing RNNCore themselves.
@_exported import RNNCore
