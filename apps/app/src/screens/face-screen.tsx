// Seed step 11, "scan the face": the server's liveness challenge (a random order of head movements with a
// deadline) shown as arrows and a countdown while frames are taken; the server checks the movements and
// matches the face with the chip photo. Loaded lazily (camera code).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grabJpeg, openCamera, stopCamera, whenPlaying } from '../camera/camera.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';

type Pose = 'neutral' | 'turn-left' | 'turn-right' | 'look-up' | 'move-closer';
interface Segment {
  readonly pose: Pose;
  readonly ms: number;
}
interface Challenge {
  readonly challengeId: string;
  readonly steps: readonly Pose[];
  readonly deadline: number;
}

/** Start looking straight, then each movement held, with a look straight between movements. */
export function timeline(steps: readonly Pose[]): Segment[] {
  const segments: Segment[] = [{ pose: 'neutral', ms: 1500 }];
  for (const s of steps) segments.push({ pose: s, ms: 2500 }, { pose: 'neutral', ms: 1000 });
  return segments;
}

/**
 * When to take a frame, ms from showing the challenge: one in the first look-straight (the server compares it
 * with the chip photo) and one late in each movement, when it is held (the server checks the face and pose of
 * each). Four frames for three movements: the server computes a face descriptor for each, so frames in
 * between would cost it time without proving anything more.
 */
export function captureTimes(segments: readonly Segment[]): number[] {
  const times: number[] = [];
  let start = 0;
  for (const [i, s] of segments.entries()) {
    if (i === 0) times.push(start + Math.round(s.ms * 0.7));
    else if (s.pose !== 'neutral') times.push(start + Math.round(s.ms * 0.75));
    start += s.ms;
  }
  return times;
}

function Arrow(props: { pose: Pose }) {
  const paths: Record<Pose, string> = {
    neutral: 'M50 20a30 30 0 1 0 0.1 0M40 45h0M60 45h0M38 62q12 10 24 0',
    'turn-left': 'M80 50H25M45 28L22 50l23 22',
    'turn-right': 'M20 50h55M55 28l23 22-23 22',
    'look-up': 'M50 82V25M28 45l22-23 22 23',
    'move-closer':
      'M30 30l-12-12M18 32V18h14M70 30l12-12M82 32V18H68M30 70l-12 12M18 68v14h14M70 70l12 12M82 68v14H68',
  };
  return (
    <svg className="arrow" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <path
        d={paths[props.pose]}
        fill="none"
        stroke="currentColor"
        strokeWidth="8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

type Phase = 'intro' | 'noCamera' | 'capturing' | 'checking';

export default function FaceScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>('intro');
  const [current, setCurrent] = useState<{ pose: Pose; seconds: number } | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void (async () => {
      const s = await openCamera('user');
      if (!live) return stopCamera(s);
      stream.current = s;
      const v = video.current;
      if (!s || !v) return setPhase('noCamera');
      v.srcObject = s;
      await v.play().catch(() => undefined);
    })();
    return () => {
      live = false;
      stopCamera(stream.current);
    };
  }, []);

  const capture = async (challenge: Challenge) => {
    const v = video.current;
    if (!v) return undefined;
    await whenPlaying(v);
    const segments = timeline(challenge.steps);
    const due = captureTimes(segments);
    const frames: { image: string; at: number }[] = [];
    const shownAt = performance.now();
    const segmentAt = (elapsed: number) => {
      let start = 0;
      for (const s of segments) {
        if (elapsed < start + s.ms)
          return { pose: s.pose, seconds: Math.ceil((start + s.ms - elapsed) / 1000) };
        start += s.ms;
      }
      return undefined;
    };
    setCurrent(segmentAt(0));
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const elapsed = performance.now() - shownAt;
      const seg = segmentAt(elapsed);
      if (!seg) break;
      setCurrent(seg);
      const next = due[frames.length];
      if (next !== undefined && elapsed >= next) {
        // Time from when the challenge was shown (the server checks order and deadline).
        const at = Math.round(performance.now() - shownAt);
        frames.push({ image: await grabJpeg(v, { maxWidth: 640, quality: 0.85 }), at });
      }
    }
    setCurrent(undefined);
    return frames;
  };

  const start = async () => {
    const issued = await step.run<Challenge>('face-challenge-requested', {});
    if (!issued) return;
    setPhase('capturing');
    const frames = await capture(issued.output);
    if (!frames) return setPhase('intro');
    setPhase('checking');
    const r = await step.run('face-evidence-submitted', { challengeId: issued.output.challengeId, frames });
    stopCamera(stream.current);
    if (r) dispatch({ type: 'go', screen: 'lookAway' });
  };

  return (
    <Page title={t('face.title')} part={2}>
      {phase === 'noCamera' ? <p className="notice">{t('face.noCamera')}</p> : <p>{t('face.body')}</p>}
      <div className={phase === 'noCamera' ? 'camera selfie hidden' : 'camera selfie'}>
        <video ref={video} muted playsInline aria-label={t('face.video')} />
        {current ? (
          <div className="liveness-overlay" data-liveness-step={current.pose}>
            <Arrow pose={current.pose} />
          </div>
        ) : null}
      </div>
      {current ? (
        <div className="liveness-instruction">
          <p className="instruction" aria-live="assertive">
            {t(`face.step.${current.pose}`)}
          </p>
          <p className="countdown" aria-hidden="true">
            {t('face.countdown', { seconds: current.seconds })}
          </p>
        </div>
      ) : null}
      {phase === 'checking' ? <Busy label={t('face.checking')} /> : null}
      {phase === 'intro' ? (
        <Actions>
          <button type="button" className="primary" onClick={start} disabled={step.busy}>
            {t('face.start')}
          </button>
        </Actions>
      ) : null}
    </Page>
  );
}
