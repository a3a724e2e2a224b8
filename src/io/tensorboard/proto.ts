// The part of TensorFlow's `Event` protobuf (tensorflow/core/util/event.proto, with Summary from
// framework/summary.proto and TensorProto from framework/tensor.proto, field numbers unchanged)
// that TensorBoard reads scalars, images, text and restarts from; protobufjs encodes it, loaded
// at the first event so that `import 'pinn-torch'` does not pay for it (a tenth of a second).
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';

const EVENT_PROTO = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
    SessionLog session_log = 7;
  }
}

message SessionLog {
  enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
  SessionStatus status = 1;
}

message Summary {
  message Image {
    int32 height = 1;
    int32 width = 2;
    int32 colorspace = 3;
    bytes encoded_image_string = 4;
  }
  message Value {
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      Image image = 4;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
}

message TensorShapeProto {
  message Dim { int64 size = 1; }
  repeated Dim dim = 2;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  repeated bytes string_val = 8;
}
`;

let Event: Protobuf.Type | null = null;
const eventType = () => Event ??= (createRequire(import.meta.url)('protobufjs') as typeof Protobuf).parse(EVENT_PROTO).root.lookupType('tensorboard.Event');

/** A summary value: a scalar, an image or a text (TensorBoard's text plugin: a string tensor). */
export type SummaryValue =
  | { tag: string; simpleValue: number }
  | { tag: string; image: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array } }
  | { tag: string; metadata: { pluginData: { pluginName: string } }; tensor: { dtype: number; tensorShape: { dim: Array<{ size: number }> }; stringVal: Uint8Array[] } };

/** One event, by the field names protobufjs gives the proto's (camelCase). */
export type EventMessage = { wallTime: number; step: number } & (
  | { fileVersion: string }
  | { summary: { value: SummaryValue[] } }
  | { sessionLog: { status: typeof SESSION_START } }
);

/** Encodes plain objects directly (no fromObject conversion: it took most of a step event's cost). */
export function encodeEvent(e: EventMessage): Uint8Array {
  return eventType().encode(e).finish();
}

/** SessionLog.SessionStatus START. */
export const SESSION_START = 1;

/** TensorFlow's DataType enum value of a string tensor. */
export const DT_STRING = 7;
