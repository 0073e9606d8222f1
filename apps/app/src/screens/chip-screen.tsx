// Seed step 11, "read the hidden chip": choose the chip (development: a virtual passport from the server's
// directory or uploaded files), "hold the passport to the phone" with a progress bar fed by the reader's
// progress events, then the server verifies what was read. The reader (mrtd) is loaded on demand.
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error.ts';
import {
  fetchVirtualPassport,
  listVirtualPassports,
  type PassportSummary,
  passportFromFiles,
  type VirtualPassport,
} from '../chip/virtual-passport.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { RadioGroup } from '../ui/fields.tsx';
import { Actions, Busy, InlineError, Page } from '../ui/page.tsx';
import { StepError } from '../ui/step-error.tsx';

type Phase = 'choose' | 'reading' | 'checking' | 'verified';

export function ChipScreen() {
  const { t } = useTranslation();
  const { state, dispatch, config } = useJourney();
  const step = useStep();
  const [passports, setPassports] = useState<PassportSummary[] | undefined>(undefined);
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const [upload, setUpload] = useState<FileList | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>('choose');
  const [progress, setProgress] = useState(0);
  const [name, setName] = useState<string | undefined>(state.verifiedName);

  useEffect(() => {
    void listVirtualPassports().then((list) => {
      setPassports(list);
      setChoice((c) => c ?? list[0]?.name ?? 'upload');
    });
  }, []);

  const read = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    let passport: VirtualPassport | undefined;
    if (choice === 'upload') passport = upload ? await passportFromFiles(upload) : undefined;
    else if (choice) passport = await fetchVirtualPassport(choice);
    if (!passport) return setProblem(t('chip.filesMissing'));
    if (!state.mrz || !state.aaChallenge) return;
    const { mrz, aaChallenge } = state;
    setPhase('reading');
    setProgress(0);
    const evidence = await step.guard(async () => {
      const { readVirtualChip } = await import('../chip/read-virtual-chip.ts');
      try {
        return await readVirtualChip({ passport, mrz, aaChallenge, onProgress: setProgress });
      } catch (err) {
        if (err instanceof ApiError) throw err;
        // Wrong MRZ keys (BAC/PACE refused) or a broken link: the helper checks the typed details.
        throw new ApiError({ code: 'ERR_CHIP_READ', messageId: 'chip.readFailed', status: 0 }, String(err));
      }
    });
    if (!evidence) return setPhase('choose');
    setPhase('checking');
    const r = await step.run<{ person?: { givenNames: string; surname: string } }>(
      'chip-evidence-submitted',
      evidence,
    );
    if (!r) return setPhase('choose');
    const person = r.output.person;
    setName(person ? `${person.givenNames} ${person.surname}` : '');
    setPhase('verified');
  };

  if (phase === 'reading' || phase === 'checking') {
    const percent = Math.round(progress * 100);
    return (
      <Page title={t('chip.hold')} part={2}>
        <p>{t('chip.holdBody')}</p>
        <div className="chip-picture" aria-hidden="true">
          <span className="phone-shape" />
          <span className="passport-shape" />
        </div>
        <label htmlFor="chip-progress">{t('chip.progress')}</label>
        <progress
          id="chip-progress"
          max={100}
          value={percent}
          aria-valuetext={t('chip.progressValue', { percent })}
        />
        <p className="status" aria-live="polite">
          {phase === 'checking' ? t('chip.checking') : t('chip.progressValue', { percent })}
        </p>
      </Page>
    );
  }

  if (phase === 'verified') {
    return (
      <Page title={t('chip.title')} part={2}>
        <p className="success" role="status">
          {t('chip.verified', { name })}
        </p>
        <Actions>
          <button
            type="button"
            className="primary"
            onClick={() => dispatch({ type: 'go', screen: 'face', data: { verifiedName: name } })}
          >
            {t('app.next')}
          </button>
        </Actions>
      </Page>
    );
  }

  const options = [
    ...(passports ?? []).map((p) => ({
      value: p.name,
      label: t('chip.virtual', { name: p.name }),
      hint: `${p.holder} · ${p.documentNumber}`,
    })),
    { value: 'upload', label: t('chip.upload'), hint: t('chip.uploadHint') },
  ];
  return (
    <Page title={t('chip.title')} part={2}>
      {config.development ? <p className="notice">{t('chip.devNote')}</p> : null}
      {passports === undefined ? (
        <Busy label={t('app.working')} />
      ) : (
        <form onSubmit={read} noValidate>
          {passports.length === 0 ? (
            <p>
              {t('chip.noVirtual')} <code>npx tillid passport create --out data/passports/anna --pace</code>
            </p>
          ) : null}
          <RadioGroup
            name="chip-source"
            legend={t('chip.sourceLegend')}
            value={choice}
            onChange={setChoice}
            options={options}
          />
          {choice === 'upload' ? (
            <div className="field">
              <label htmlFor="chip-files">{t('chip.upload')}</label>
              <input id="chip-files" type="file" multiple onChange={(e) => setUpload(e.target.files)} />
            </div>
          ) : null}
          {problem ? <InlineError id="chip-problem">{problem}</InlineError> : null}
          <StepError error={step.inlineError} />
          <Actions>
            <button type="submit" className="primary" disabled={step.busy}>
              {t('chip.read')}
            </button>
            {config.development ? (
              <button
                type="button"
                className="secondary"
                onClick={() => dispatch({ type: 'go', screen: 'makePassport' })}
              >
                {t('chip.makeOwn')}
              </button>
            ) : null}
          </Actions>
        </form>
      )}
    </Page>
  );
}
