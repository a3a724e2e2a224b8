// TensorBoard event files: TFRecord framing (record.ts) around Event protobufs (proto.ts),
// appended by an EventFileWriter (writer.ts). The Trainer's TensorBoard callback drives one.
export { EventFileWriter } from './writer.js';
export { frameRecord, maskedCrc32c } from './record.js';
