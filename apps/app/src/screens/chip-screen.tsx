// Seed step 11, "read the hidden chip": choose the chip (development: a virtual passport from the server's
// directory or uploaded files; or a real passport on a USB reader through `tillid reader`), "hold the
// passport to the phone" with a progress bar fed by the reader's progress events, then the server verifies
// what was read. Both sources share one reading path (chip/read-chip.ts), loaded on demand.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error.ts';
import type { MrzKeys } from '../api/enrollment-api.ts';
import type { ChipEvidence } from '../chip/read-chip.ts';
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

type Phase = 'choose' | 'waiting' | 'reading' | 'checking' | 'verified';

/** The radio value of the USB reader choice (virtual passports use their names). */
const USB_READER = 'usb-reader';

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
  const cancelUsb = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    void listVirtualPassports().then((list) => {
      setPassports(list);
      setChoice((c) => c ?? list[0]?.name ?? (config.development ? 'upload' : USB_READER));
    });
  }, [config.development]);

  // Leaving the screen mid-read releases the reader.
  useEffect(() => () => cancelUsb.current?.abort(), []);

  const readUsb = async (mrz: MrzKeys, aaChallenge: string) => {
    setPhase('reading');
    setProgress(0);
    let problemKey: string | undefined;
    const controller = new AbortController();
    cancelUsb.current = controller;
    const evidence = await step.guard(async () => {
      const bridge = await import('../chip/read-bridge-chip.ts');
      try {
        const read = await bridge.readChipThroughBridge({
          mrz,
          aaChallenge,
          onProgress: setProgress,
          onWaitingForCard: () => setPhase('waiting'),
          onReading: () => setPhase('reading'),
          signal: controller.signal,
        });
        return read.evidence;
      } catch (err) {
        // Cancelled by the helper: back to the choice, nothing to explain.
        if (controller.signal.aborted) return undefined;
        problemKey = bridge.readerProblemText(err);
        if (problemKey) return undefined;
        // Wrong MRZ keys (BAC/PACE refused): the helper checks the typed details.
        throw new ApiError({ code: 'ERR_CHIP_READ', messageId: 'chip.readFailed', status: 0 }, String(err));
      }
    });
    if (problemKey) setProblem(t(problemKey));
    return evidence;
  };

  const read = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    if (!state.mrz || !state.aaChallenge) return;
    const { mrz, aaChallenge } = state;
    if (choice === USB_READER) return submit(await readUsb(mrz, aaChallenge));
    let passport: VirtualPassport | undefined;
    if (choice === 'upload') passport = upload ? await passportFromFiles(upload) : undefined;
    else if (choice) passport = await fetchVirtualPassport(choice);
    if (!passport) return setProblem(t('chip.filesMissing'));
    setPhase('reading');
    setProgress(0);
    const evidence = await step.guard(async () => {
      const { readVirtualChip } = await import('../chip/read-virtual-chip.ts');
      try {
        return (await readVirtualChip({ passport, mrz, aaChallenge, onProgress: setProgress })).evidence;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        // Wrong MRZ keys (BAC/PACE refused) or a broken link: the helper checks the typed details.
        throw new ApiError({ code: 'ERR_CHIP_READ', messageId: 'chip.readFailed', status: 0 }, String(err));
      }
    });
    return submit(evidence);
  };

  const submit = async (evidence: ChipEvidence | undefined) => {
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

  if (phase === 'waiting') {
    return (
      <Page title={t('reader.waiting')} part={2}>
        <p>{t('reader.waitingBody')}</p>
        <Busy label={t('reader.waiting')} />
        <Actions>
          <button type="button" className="secondary" onClick={() => cancelUsb.current?.abort()}>
            {t('app.cancel')}
          </button>
        </Actions>
      </Page>
    );
  }

  if (phase === 'reading' || phase === 'checking') {
    const percent = Math.round(progress * 100);
    const usb = choice === USB_READER;
    return (
      <Page title={usb ? t('reader.hold') : t('chip.hold')} part={2}>
        <p>{usb ? t('reader.holdBody') : t('chip.holdBody')}</p>
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
    { value: USB_READER, label: t('reader.option'), hint: t('reader.optionHint') },
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
