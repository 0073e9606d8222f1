// @tillid/vision: face verification, active liveness, MRZ OCR and QR reading, offline on our own
// servers. Ports (FaceMatcher, LivenessCheck, MrzReader) let an operator swap any engine.

export { DEFAULT_FACE_THRESHOLD, createVisionEngine } from './engine/vision-engine.ts';
export type { QueueLimits, VisionEngine, VisionEngineOptions } from './engine/vision-engine.ts';
export { WorkQueue } from './engine/work-queue.ts';
export type { WorkQueueOptions } from './engine/work-queue.ts';
export { VisionError, isVisionError } from './errors.ts';
export type { VisionErrorCode } from './errors.ts';
export type { FaceBox, FaceObservation } from './face/face-analyzer.ts';
export { HumanFaceMatcher, PORTRAIT_FORMATS, SELFIE_FORMATS } from './face/face-matcher.ts';
export type { FaceMatcher, FaceMatchResult, FaceTemplate } from './face/face-matcher.ts';
export { DEFAULT_FACE_QUALITY } from './face/face-quality.ts';
export type { FaceQualityPolicy } from './face/face-quality.ts';
export { cosineSimilarity } from './face/similarity.ts';
export { decodeImage, sniffImageFormat } from './image/decode-image.ts';
export type { ImageFormat } from './image/decode-image.ts';
export { Jpeg2000Codec, extractJ2kCodestream } from './image/jpeg2000.ts';
export type { RgbImage } from './image/rgb-image.ts';
export { DEFAULT_CHALLENGE, LIVENESS_STEPS, createChallenge } from './liveness/challenge.ts';
export type { ChallengeOptions, LivenessChallenge, LivenessStep } from './liveness/challenge.ts';
export { HumanLivenessCheck } from './liveness/liveness-check.ts';
export type { LivenessCheck, LivenessFrame, LivenessPolicy, LivenessResult } from './liveness/liveness-check.ts';
export { DEFAULT_POSE_THRESHOLDS } from './liveness/pose-sequence.ts';
export type { PoseThresholds } from './liveness/pose-sequence.ts';
export { PaddleMrzReader } from './mrz/mrz-reader.ts';
export type { MrzReader } from './mrz/mrz-reader.ts';
export { findMrz } from './mrz/mrz-text.ts';
export type { MrzFormat, MrzReading } from './mrz/mrz-text.ts';
export { decodeQr } from './qr/qr-reader.ts';
export type { QrReading } from './qr/qr-reader.ts';
