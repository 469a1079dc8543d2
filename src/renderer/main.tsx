import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { connectApi } from './api';
import { ApiContext } from './api/context';
import { App } from './app';
import { NoToken } from './components/no-token';
import './styles.css';

// The CSP forbids eval: keep zod off its `new Function` fast path (no CSP violation reports).
z.config({ jitless: true });

const connection = connectApi();
const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {connection.api ? (
      <ApiContext.Provider value={connection.api}>
        <App transport={connection.transport} />
      </ApiContext.Provider>
    ) : (
      <NoToken />
    )}
  </StrictMode>,
);
