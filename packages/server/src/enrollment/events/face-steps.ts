// Seed step 11, the face: the server issues a liveness challenge (a random sequence of head movements with a
// deadline), then checks the uploaded frames: the movements in order and in time, one face throughout, and
// that face matching the verified chip portrait. The portrait and frames are dropped once the decision is
// recorded; the evidence keeps the scores and the portrait's hash.
import { isVisionError, type VisionError } from '@tillid/vision';
import { z } from 'zod';
import { ServerError } from '../../errors.ts';
import { required, step, type VisionPorts } from '../enrollment-context.ts';

function vision(ports: VisionPorts | undefined): VisionPorts {
  if (!ports) {
    throw new ServerError('ERR_VISION_UNAVAILABLE', 'face verification is not available on this server', {
      status: 503,
      messageId: 'error.vision.unavailable',
    });
  }
  return ports;
}

function fromVision(e: VisionError): ServerError {
  if (e.code === 'ERR_BUSY' || e.code === 'ERR_ENGINE_FAILED' || e.code === 'ERR_ENGINE_CLOSED') {
    return new ServerError('ERR_UNAVAILABLE', 'face checks are busy; try again in a moment', {
      status: 503,
      messageId: 'error.busy',
      details: { retryAfterSeconds: 2 },
    });
  }
  if (e.code === 'ERR_LIVENESS_NOT_MATCHING') {
    return new ServerError('ERR_FACE_MISMATCH', 'the face does not match the photo in the chip', {
      status: 422,
      messageId: 'error.face.mismatch',
    });
  }
  return new ServerError('ERR_LIVENESS_FAILED', e.message, {
    status: 422,
    messageId: `error.face.${e.code.slice(4).toLowerCase().replace(/_/g, '-')}`,
    details: { reason: e.code },
  });
}

export const faceChallengeRequested = step({
  event: 'face-challenge-requested',
  from: ['chip-verified', 'face-challenge-issued'],
  to: ['face-challenge-issued'],
  input: z.object({}).strict(),
  apply: async (data, _input, env) => {
    const challenge = vision(env.deps.vision).liveness.createChallenge();
    return {
      state: 'face-challenge-issued',
      data: { ...data, liveness: challenge },
      output: { challengeId: challenge.id, steps: challenge.steps, deadline: challenge.deadline },
    };
  },
});

export const faceEvidenceSubmitted = step({
  event: 'face-evidence-submitted',
  from: ['face-challenge-issued'],
  to: ['face-verified'],
  input: z.object({
    challengeId: z.string().max(100),
    frames: z
      .array(z.object({ image: z.base64().max(1_500_000), at: z.number().finite().min(0) }))
      .min(1)
      .max(30),
  }),
  apply: async (data, input, env) => {
    const ports = vision(env.deps.vision);
    const challenge = required(data.liveness, 'liveness');
    if (input.challengeId !== challenge.id) {
      throw new ServerError('ERR_LIVENESS_FAILED', 'these frames answer another challenge', {
        status: 422,
        messageId: 'error.face.liveness-challenge',
        details: { reason: 'ERR_LIVENESS_CHALLENGE' },
      });
    }
    const portrait = required(data.portrait, 'portrait');
    let similarity: number;
    let result: Awaited<ReturnType<VisionPorts['liveness']['verify']>>;
    try {
      const reference = await ports.faceMatcher.referenceTemplate(
        new Uint8Array(Buffer.from(portrait.image, 'base64')),
      );
      result = await ports.liveness.verify({
        challenge,
        frames: input.frames.map((f) => ({
          image: new Uint8Array(Buffer.from(f.image, 'base64')),
          at: f.at,
        })),
        reference,
      });
      similarity = result.referenceSimilarity;
    } catch (e) {
      if (isVisionError(e)) throw fromVision(e);
      throw e;
    }
    if (similarity < ports.faceThreshold)
      throw fromVision({ code: 'ERR_LIVENESS_NOT_MATCHING', message: '' } as VisionError);
    const { portrait: _dropped, liveness: _done, ...rest } = data;
    return {
      state: 'face-verified',
      data: {
        ...rest,
        evidence: {
          ...(data.evidence ?? {}),
          face: {
            portraitSha256: portrait.sha256,
            similarity,
            threshold: ports.faceThreshold,
            consistency: result.consistency,
            signals: result.signals,
            steps: challenge.steps,
            engine: result.engine,
          },
        },
      },
      output: { verified: true },
    };
  },
});
