// @tillid/vision: face verification, active liveness, MRZ OCR and QR reading, offline on our own
// servers. Ports (FaceMatcher, LivenessCheck, MrzReader) let an operator swap any engine.

export type { QueueLimits, VisionEngine, VisionEngineOptions } from './engine/vision-engine.ts';
export { createVisionEngine, DEFAULT_FACE_THRESHOLD } from './engine/vision-engine.ts';
export type { WorkQueueOptions } from './engine/work-queue.ts';
export { WorkQueue } from './engine/work-queue.ts';
export type { VisionErrorCode } from './errors.ts';
export { isVisionError, VisionError } from './errors.ts';
export type { FaceBox, FaceObservation } from './face/face-analyzer.ts';
export type { FaceMatcher, FaceMatchResult, FaceTemplate } from './face/face-matcher.ts';
export { HumanFaceMatcher, PORTRAIT_FORMATS, SELFIE_FORMATS } from './face/face-matcher.ts';
export type { FaceQualityPolicy } from './face/face-quality.ts';
export { DEFAULT_FACE_QUALITY } from './face/face-quality.ts';
export type { OnnxDescriptorOptions } from './face/faceres-onnx.ts';
export { OnnxFaceDescriptor } from './face/faceres-onnx.ts';
export { cosineSimilarity } from './face/similarity.ts';
export type { ImageFormat } from './image/decode-image.ts';
export { decodeImage, sniffImageFormat } from './image/decode-image.ts';
export { extractJ2kCodestream, Jpeg2000Codec } from './image/jpeg2000.ts';
export type { RgbImage } from './image/rgb-image.ts';
export type { ChallengeOptions, LivenessChallenge, LivenessStep } from './liveness/challenge.ts';
export { createChallenge, DEFAULT_CHALLENGE, LIVENESS_STEPS } from './liveness/challenge.ts';
export type {
  LivenessCheck,
  LivenessFrame,
  LivenessPolicy,
  LivenessResult,
} from './liveness/liveness-check.ts';
export { HumanLivenessCheck } from './liveness/liveness-check.ts';
export type { PoseThresholds } from './liveness/pose-sequence.ts';
export { DEFAULT_POSE_THRESHOLDS } from './liveness/pose-sequence.ts';
export type { MrzReader } from './mrz/mrz-reader.ts';
export { PaddleMrzReader } from './mrz/mrz-reader.ts';
export type { MrzFormat, MrzReading } from './mrz/mrz-text.ts';
export { findMrz } from './mrz/mrz-text.ts';
export type { QrReading } from './qr/qr-reader.ts';
export { decodeQr } from './qr/qr-reader.ts';
