// Public face of the protobuf decoder: the API server turns Kubernetes protobuf request bodies
// (what kubectl's typed client sends) into the JSON objects it already handles.

export { decodeKubernetesProtobuf, type DecodedObject } from './decode-kubernetes-protobuf.js';
export { isKubernetesProtobuf, KUBERNETES_PROTOBUF_MAGIC } from './envelope.js';
export { MAX_MESSAGE_DEPTH, type DecodeOptions, type UnknownField } from './decode-message.js';
export { ProtobufDecodeError } from './protobuf-decode-error.js';
export { SUPPORTED_PROTOBUF_KINDS, type GroupVersionKind } from './supported-kinds.js';
