// i18next set up with the app's texts and @tillid/core's message catalog (the server's core message IDs).
// Keys are flat message IDs, so "." and ":" are not separators.
import { CORE_MESSAGES } from '@tillid/core';
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { TEXTS } from './locales/index.ts';

export const LOCALES = ['da', 'en', 'kl'] as const;
export type Locale = (typeof LOCALES)[number];

export const LOCALE_NAMES: Record<Locale, string> = { da: 'Dansk', en: 'English', kl: 'Kalaallisut' };

const STORAGE_KEY = 'tillid.locale';

export function isLocale(s: unknown): s is Locale {
  return typeof s === 'string' && (LOCALES as readonly string[]).includes(s);
}

/** The saved choice, else `?lang=`, else the browser's first supported language, else Danish. */
export function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (isLocale(fromUrl)) return fromUrl;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage may be blocked; the default is fine.
  }
  for (const l of navigator.languages ?? []) {
    const base = l.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'da';
}

export function saveLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not saved: the choice lasts for this visit only.
  }
}

export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    initAsync: false,
    resources: {
      da: { translation: { ...CORE_MESSAGES.da, ...TEXTS.da } },
      en: { translation: { ...CORE_MESSAGES.en, ...TEXTS.en } },
      kl: { translation: { ...CORE_MESSAGES.kl, ...TEXTS.kl } },
    },
  });
  return instance;
}
