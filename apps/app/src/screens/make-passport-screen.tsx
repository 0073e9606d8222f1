// Development only: "make a test passport with my own face". Takes a webcam photo and asks the
// development server to issue a virtual passport (test country UTO) with it in DG2, so a newcomer's own
// face scan matches the chip photo. Loaded lazily (camera code).
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MrzKeys } from '../api/enrollment-api.ts';
import { requestJson } from '../api/request-json.ts';
import { grabJpeg, openCamera, stopCamera, whenPlaying } from '../camera/camera.ts';
import { toYymmdd } from '../journey/dates.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';
import { Actions, Busy, Page } from '../ui/page.tsx';
import { StepError } from '../ui/step-error.tsx';

interface MadePassport {
  readonly name: string;
  readonly documentNumber: string;
  readonly dateOfBirth: string;
  readonly dateOfExpiry: string;
}

export default function MakePassportScreen() {
  const { t } = useTranslation();
  const { dispatch } = useJourney();
  const step = useStep();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | undefined>(undefined);
  const [noCamera, setNoCamera] = useState(false);
  // The demo population register knows CPR 120874-1234 as this person (docs/enrollment.md).
  const [surname, setSurname] = useState('ERIKSSON');
  const [givenNames, setGivenNames] = useState('ANNA MARIA');
  const [birth, setBirth] = useState('1974-08-12');
  const [made, setMade] = useState<MadePassport | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void (async () => {
      const s = await openCamera('user');
      if (!live) return stopCamera(s);
      stream.current = s;
      if (!s || !video.current) return setNoCamera(true);
      video.current.srcObject = s;
      await video.current.play().catch(() => undefined);
    })();
    return () => {
      live = false;
      stopCamera(stream.current);
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = video.current;
    if (!v || noCamera) return;
    const r = await step.guard(async () => {
      await whenPlaying(v);
      const face = await grabJpeg(v, { maxWidth: 640, quality: 0.9 });
      return requestJson<MadePassport>('/dev/passports', {
        method: 'POST',
        body: { surname, givenNames, dateOfBirth: toYymmdd(birth), face },
        retries: 0,
      });
    });
    if (r) setMade(r);
  };

  // The new passport's MRZ replaces the one given before (the step may be repeated), so its chip opens.
  const continueWith = async (passport: MadePassport) => {
    const r = await step.run<{ mrz: MrzKeys; aaChallenge: string }>('mrz-given', {
      kind: 'typed',
      documentNumber: passport.documentNumber,
      dateOfBirth: passport.dateOfBirth,
      dateOfExpiry: passport.dateOfExpiry,
    });
    if (r)
      dispatch({
        type: 'go',
        screen: 'chip',
        data: { mrz: r.output.mrz, aaChallenge: r.output.aaChallenge },
      });
  };

  return (
    <Page title={t('makePassport.title')} part={2}>
      <p>{noCamera ? t('face.noCamera') : t('makePassport.body')}</p>
      <div className={noCamera ? 'camera selfie hidden' : 'camera selfie'}>
        <video ref={video} muted playsInline aria-label={t('face.video')} />
      </div>
      {made ? (
        <>
          <p className="success" role="status">
            {t('makePassport.made', { name: made.name, number: made.documentNumber })}
          </p>
          <Actions>
            <button type="button" className="primary" disabled={step.busy} onClick={() => continueWith(made)}>
              {t('app.next')}
            </button>
          </Actions>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <TextField id="surname" label={t('makePassport.surname')} value={surname} onChange={setSurname} />
          <TextField
            id="givenNames"
            label={t('makePassport.givenNames')}
            value={givenNames}
            onChange={setGivenNames}
          />
          <TextField
            id="birth"
            type="date"
            label={t('makePassport.dateOfBirth')}
            value={birth}
            onChange={setBirth}
          />
          <StepError error={step.inlineError} />
          {step.busy ? <Busy label={t('app.working')} /> : null}
          <Actions>
            <button type="submit" className="primary" disabled={step.busy || noCamera}>
              {t('makePassport.take')}
            </button>
          </Actions>
        </form>
      )}
    </Page>
  );
}
