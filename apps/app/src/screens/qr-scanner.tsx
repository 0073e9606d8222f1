// The QR scanner (a lazy chunk with the camera and @zxing/library): the back camera's picture, a frame
// decoded every 250 ms, and what it found checked by the screen. Says so clearly when there is no camera.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { openCamera, stopCamera, whenPlaying } from '../camera/camera.ts';
import { decodeQr } from '../device/qr-decode.ts';

/** What the screen made of a code: taken (scanning stops), or not the code this screen wants. */
export type ScanVerdict = 'taken' | 'wrong';

export default function QrScanner(props: {
  /** What to point the camera at, shown under the picture. */
  instruction: string;
  onText: (text: string) => Promise<ScanVerdict> | ScanVerdict;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [phase, setPhase] = useState<'starting' | 'scanning' | 'wrong' | 'noCamera' | 'taken'>('starting');
  const onText = useRef(props.onText);
  onText.current = props.onText;
  const disabled = useRef(props.disabled ?? false);
  disabled.current = props.disabled ?? false;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const canvas = document.createElement('canvas');
    let frame = 0;
    const tick = async () => {
      const v = video.current;
      if (!live || !v) return;
      if (!disabled.current && v.videoWidth > 0) {
        // At most 800 px wide: enough for a phone-screen QR, cheap to decode.
        const scale = Math.min(1, 800 / v.videoWidth);
        canvas.width = Math.round(v.videoWidth * scale);
        canvas.height = Math.round(v.videoHeight * scale);
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx?.drawImage(v, 0, 0, canvas.width, canvas.height);
        // One orientation per frame (qr-decode.ts): a still picture is tried in all four within a second.
        const turn = (frame++ % 4) as 0 | 1 | 2 | 3;
        const text = ctx
          ? decodeQr(ctx.getImageData(0, 0, canvas.width, canvas.height), { turn })
          : undefined;
        if (text !== undefined) {
          const verdict = await onText.current(text);
          if (!live) return;
          if (verdict === 'taken') {
            setPhase('taken');
            stopCamera(stream);
            return;
          }
          setPhase('wrong');
        }
      }
      timer = setTimeout(() => void tick(), 250);
    };
    void (async () => {
      stream = await openCamera('environment');
      if (!live) return stopCamera(stream);
      if (!stream || !video.current) return setPhase('noCamera');
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      await whenPlaying(video.current);
      if (!live) return;
      setPhase('scanning');
      void tick();
    })();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      stopCamera(stream);
    };
  }, []);

  return (
    <div className="qr-scanner" data-camera-scene="qr" data-scan-phase={phase}>
      {phase === 'noCamera' ? (
        <div className="inline-error" role="alert">
          <p>{t('scan.noCamera')}</p>
          <p>{t('scan.noCameraNext')}</p>
        </div>
      ) : (
        <div className="qr-viewfinder">
          <video ref={video} className="qr-video" muted playsInline aria-label={t('scan.cameraLabel')} />
          <span className="qr-target" aria-hidden="true" />
        </div>
      )}
      <p>{props.instruction}</p>
      <p className="scan-status" role="status" aria-live="polite">
        {phase === 'starting'
          ? t('scan.starting')
          : phase === 'scanning'
            ? t('scan.looking')
            : phase === 'wrong'
              ? t('scan.wrong')
              : phase === 'taken'
                ? t('scan.found')
                : ''}
      </p>
    </div>
  );
}
