// Seed step 11, "scan the code in the passport": camera frames go to the server's OCR (mrz-given with
// kind 'frame') one at a time until one reads; typing the details is always offered. Loaded lazily.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, toApiError } from '../api/api-error.ts';
import type { MrzKeys } from '../api/enrollment-api.ts';
import { grabJpeg, openCamera, stopCamera, whenPlaying } from '../camera/camera.ts';
import { useJourney } from '../journey/journey-context.tsx';
import { Actions, Page } from '../ui/page.tsx';

/** Time between frames sent; the server's OCR takes 0.3-0.5 s a frame. */
const FRAME_INTERVAL_MS = 1200;

type Phase = 'starting' | 'scanning' | 'notFound' | 'noCamera' | 'unavailable' | 'found';

export default function MrzScanScreen() {
  const { t } = useTranslation();
  const { state, dispatch, api } = useJourney();
  const video = useRef<HTMLVideoElement>(null);
  const [phase, setPhase] = useState<Phase>('starting');

  // biome-ignore lint/correctness/useExhaustiveDependencies: one camera session per visit of the screen
  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scan = async () => {
      const v = video.current;
      if (stopped || !v || !state.flowId) return;
      try {
        const image = await grabJpeg(v, { maxWidth: 1600, quality: 0.92 });
        if (stopped) return;
        const r = await api.step<{ mrz: MrzKeys; aaChallenge: string }>(state.flowId, 'mrz-given', {
          kind: 'frame',
          image,
        });
        if (stopped) return;
        setPhase('found');
        stopped = true;
        stopCamera(stream);
        dispatch({
          type: 'go',
          screen: 'chip',
          data: { mrz: r.output.mrz, aaChallenge: r.output.aaChallenge },
        });
        return;
      } catch (e) {
        if (stopped) return;
        if (isApiError(e) && e.code === 'ERR_VALIDATION') setPhase('notFound');
        else if (isApiError(e) && e.code === 'ERR_VISION_UNAVAILABLE') {
          // Starting up, or no OCR on this server: say so, offer typing, and look again in a while.
          setPhase('unavailable');
          timer = setTimeout(scan, 1000 * Number(e.details?.retryAfterSeconds ?? 5));
          return;
        } else {
          stopped = true;
          stopCamera(stream);
          const error = toApiError(e);
          dispatch({
            type: 'fail',
            error: { code: error.code, messageId: error.messageId, status: error.status },
          });
          return;
        }
      }
      timer = setTimeout(scan, FRAME_INTERVAL_MS);
    };
    void (async () => {
      stream = await openCamera('environment');
      if (stopped) return stopCamera(stream);
      const v = video.current;
      if (!stream || !v) return setPhase('noCamera');
      v.srcObject = stream;
      await v.play().catch(() => undefined);
      await whenPlaying(v);
      setPhase('scanning');
      timer = setTimeout(scan, 300);
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopCamera(stream);
    };
  }, []);

  const status =
    phase === 'notFound'
      ? t('mrz.notFound')
      : phase === 'found'
        ? t('mrz.found')
        : phase === 'noCamera'
          ? t('mrz.noCamera')
          : phase === 'unavailable'
            ? t('error.vision.unavailable')
            : t('mrz.searching');
  return (
    <Page title={t('mrz.title')} part={2}>
      <p>{t('mrz.body')}</p>
      <div className={phase === 'noCamera' ? 'camera hidden' : 'camera'}>
        <video ref={video} muted playsInline aria-label={t('mrz.video')} />
        <div className="mrz-guide" aria-hidden="true" />
      </div>
      <p className={phase === 'noCamera' ? 'notice' : 'status'} role="status" data-mrz-phase={phase}>
        {status}
      </p>
      <Actions>
        <button
          type="button"
          className={phase === 'noCamera' || phase === 'unavailable' ? 'primary' : 'secondary'}
          onClick={() => dispatch({ type: 'go', screen: 'mrzManual' })}
        >
          {t('mrz.typeInstead')}
        </button>
      </Actions>
    </Page>
  );
}
