// Entry of the login pages (login.html, served by the Tillid server at /login/<uid>).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initialLocale } from '../i18n.ts';
import { loginBase } from './login-api.ts';
import { LoginApp } from './login-app.tsx';
import '../styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LoginApp initialLocale={initialLocale()} base={loginBase(location.pathname)} />
    </StrictMode>,
  );
}
