// Journey C, "No, order": the postal address and the letter's language → POST /tokens/orders → the
// confirmation (the device comes by post with an instruction letter; docs/code-display.md).
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../api/api-error.ts';
import type { PostalAddress } from '../api/token-api.ts';
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../i18n.ts';
import { useJourney, useStep } from '../journey/journey-context.tsx';
import { TextField } from '../ui/fields.tsx';
import { Actions, Page } from '../ui/page.tsx';
import { StepFooter } from '../ui/step-error.tsx';
import { sentence, useDevice } from './token-screens.tsx';

const FIELDS = ['name', 'street', 'postcode', 'city'] as const;
type Field = (typeof FIELDS)[number];
const AUTOCOMPLETE: Record<Field, string> = {
  name: 'name',
  street: 'street-address',
  postcode: 'postal-code',
  city: 'address-level2',
};

export function OrderScreen() {
  const { t } = useTranslation();
  const { state, dispatch, tokens, locale } = useJourney();
  const { model, device } = useDevice();
  const step = useStep();
  const [address, setAddress] = useState<PostalAddress>({ name: '', street: '', postcode: '', city: '' });
  const [language, setLanguage] = useState<Locale>(locale);
  const [missing, setMissing] = useState<ReadonlySet<Field>>(new Set());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const empty = new Set(FIELDS.filter((f) => address[f].trim() === ''));
    setMissing(empty);
    if (empty.size > 0) {
      document.getElementById(`order-${[...empty][0]}`)?.focus();
      return;
    }
    const order = await step.guard(() => {
      if (!state.flowId) throw toApiError(new TypeError('no enrollment session'));
      return tokens.order(state.flowId, { model, language, address });
    });
    if (order)
      dispatch({ type: 'go', screen: 'ordered', data: { order: { feeRequired: order.feeRequired } } });
  };
  const invalid = step.inlineError !== undefined;
  return (
    <Page title={sentence(t('order.title', { device }))}>
      <p>{t('order.body')}</p>
      <form onSubmit={submit} noValidate>
        {FIELDS.map((f) => (
          <TextField
            key={f}
            id={`order-${f}`}
            label={t(`order.${f}`)}
            value={address[f]}
            onChange={(v) => {
              setAddress({ ...address, [f]: v });
              if (missing.has(f)) setMissing(new Set([...missing].filter((m) => m !== f)));
              step.clearError();
            }}
            error={missing.has(f) ? t('order.required') : undefined}
            autoComplete={AUTOCOMPLETE[f]}
            maxLength={f === 'postcode' ? 10 : 120}
            required
            invalid={invalid}
            describedBy={invalid ? 'step-error' : undefined}
          />
        ))}
        <div className="field">
          <label htmlFor="order-language">{t('order.language')}</label>
          <select
            id="order-language"
            value={language}
            onChange={(e) => isLocale(e.target.value) && setLanguage(e.target.value)}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
        <StepFooter step={step} label={t('order.submit')} />
      </form>
    </Page>
  );
}

export function OrderedScreen() {
  const { t } = useTranslation();
  const { state, dispatch } = useJourney();
  const { device } = useDevice();
  return (
    <Page title={sentence(t('ordered.title', { device }))}>
      <div className="done-mark" aria-hidden="true">
        ✓
      </div>
      <p>{t('ordered.body')}</p>
      <p className="notice">{state.order?.feeRequired ? t('ordered.fee') : t('ordered.free')}</p>
      <Actions>
        <button type="button" className="primary" onClick={() => dispatch({ type: 'restart' })}>
          {t('done.finish')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => dispatch({ type: 'recover', to: 'haveDevice' })}
        >
          {t('ordered.haveOne')}
        </button>
      </Actions>
    </Page>
  );
}
