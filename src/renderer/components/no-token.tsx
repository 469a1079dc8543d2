export function NoToken() {
  return (
    <main className="content no-token">
      <h1>Refund Reconciler — browser mode</h1>
      <p>
        This page needs the access token of the running browser-mode session. Open the full URL that{' '}
        <code>refund-recon serve</code> (or <code>npm start</code>) printed in the terminal — it ends in{' '}
        <code>#token=…</code>.
      </p>
    </main>
  );
}
