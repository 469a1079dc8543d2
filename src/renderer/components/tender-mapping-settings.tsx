import { useEffect, useState } from 'react';
import type { TenderPlatform } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import type { TenderKind } from '../../shared/model';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from './error-banner';

/**
 * The tender mapping (tenders.md §1.3): which payment gateways and NetSuite payment methods are
 * store credit, gift cards, cash or card, and how long an open Credit Memo may wait for its
 * payout. Saved with the same use-case as `refund-recon settings tenders`; the next comparison
 * applies it, also to files imported earlier.
 */

/** The kinds in an accountant's words (never the codes). */
export const KIND_LABELS: Record<TenderKind, string> = {
  card: 'Card or other money (card, wallet, PayPal, bank)',
  cash: 'Cash or cheque',
  store_credit: 'Store credit',
  gift_card: 'Gift card',
  exchange: 'Exchange credit',
  other: 'Not known (agrees with anything)',
};
const KINDS = Object.keys(KIND_LABELS) as TenderKind[];
const PLATFORMS: Record<TenderPlatform, string> = {
  shopify: 'Shopify',
  bigcommerce: 'BigCommerce',
  woocommerce: 'WooCommerce',
};

interface GatewayRow {
  key: number;
  platform: TenderPlatform;
  gateway: string;
  kind: TenderKind;
}
interface MethodRow {
  key: number;
  paymentMethod: string;
  kind: TenderKind;
}

let nextKey = 1;

function KindSelect({ value, onChange }: { value: TenderKind; onChange: (kind: TenderKind) => void }) {
  return (
    <label>
      Counts as
      <select value={value} onChange={(e) => onChange(e.target.value as TenderKind)}>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TenderMappingSettings() {
  const api = useApi();
  const mapping = useChannel('tender-mapping:get', {});
  const [gateways, setGateways] = useState<GatewayRow[]>([]);
  const [methods, setMethods] = useState<MethodRow[]>([]);
  const [payoutDays, setPayoutDays] = useState('7');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [saved, setSaved] = useState(false);
  const loaded = mapping.status === 'ok' ? mapping.value : null;
  // Once, when it arrives: edits are kept until saved.
  useEffect(() => {
    if (!loaded) return;
    setGateways(loaded.storefront.map((r) => ({ ...r, key: nextKey++ })));
    setMethods(loaded.paymentMethods.map((r) => ({ ...r, key: nextKey++ })));
    setPayoutDays(String(loaded.creditPayoutDays));
  }, [loaded]);
  const edit = () => setSaved(false);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const days = payoutDays.trim();
    if (!/^\d{1,4}$/.test(days)) {
      setError({
        code: 'invalid_credit_payout_days',
        message: 'The days an open Credit Memo may wait for its payout are a whole number, such as 7.',
      });
      return;
    }
    const result = await api.channels['tender-mapping:set']({
      storefront: gateways.map(({ platform, gateway, kind }) => ({ platform, gateway, kind })),
      paymentMethods: methods.map(({ paymentMethod, kind }) => ({ paymentMethod, kind })),
      creditPayoutDays: Number(days),
      actor: localStorage.getItem('refund-recon-author') || 'local user',
    });
    if (!result.ok) setError(result.error);
    else setSaved(true);
  };
  if (mapping.status === 'loading') return <p className="muted">Loading the tender mapping…</p>;
  if (mapping.status === 'error') return <ErrorBanner error={mapping.error} onRetry={mapping.reload} />;
  const items = mapping.value.tenderItems;
  return (
    <section aria-label="How refunds went back">
      <h2>How refunds went back</h2>
      <p className="muted">
        Which payment gateways and NetSuite payment methods are store credit, gift cards, cash or card. Every comparison
        in this workspace uses them, also for files imported earlier. Without a row, the app decides by the name.
      </p>
      <form onSubmit={save} onChange={edit}>
        <fieldset>
          <legend>Storefront payment gateways</legend>
          {gateways.map((row, i) => {
            const set = (patch: Partial<GatewayRow>) =>
              setGateways(gateways.map((r, j) => (j === i ? { ...r, ...patch } : r)));
            return (
              <div className="row" key={row.key}>
                <label>
                  Store
                  <select value={row.platform} onChange={(e) => set({ platform: e.target.value as TenderPlatform })}>
                    {Object.entries(PLATFORMS).map(([id, name]) => (
                      <option key={id} value={id}>
                        {name}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Gateway name, as the store reports it
                  <input value={row.gateway} onChange={(e) => set({ gateway: e.target.value })} maxLength={200} />
                </label>
                <KindSelect value={row.kind} onChange={(kind) => set({ kind })} />
                <button type="button" onClick={() => setGateways(gateways.filter((_, j) => j !== i))}>
                  Remove {row.gateway || 'this gateway'}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            onClick={() =>
              setGateways([...gateways, { key: nextKey++, platform: 'shopify', gateway: '', kind: 'store_credit' }])
            }
          >
            Add a gateway
          </button>
        </fieldset>
        <fieldset>
          <legend>NetSuite payment methods</legend>
          {methods.map((row, i) => {
            const set = (patch: Partial<MethodRow>) =>
              setMethods(methods.map((r, j) => (j === i ? { ...r, ...patch } : r)));
            return (
              <div className="row" key={row.key}>
                <label>
                  Payment method, as named in NetSuite
                  <input
                    value={row.paymentMethod}
                    onChange={(e) => set({ paymentMethod: e.target.value })}
                    maxLength={200}
                  />
                </label>
                <KindSelect value={row.kind} onChange={(kind) => set({ kind })} />
                <button type="button" onClick={() => setMethods(methods.filter((_, j) => j !== i))}>
                  Remove {row.paymentMethod || 'this payment method'}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            onClick={() => setMethods([...methods, { key: nextKey++, paymentMethod: '', kind: 'store_credit' }])}
          >
            Add a payment method
          </button>
        </fieldset>
        {items.length > 0 && (
          <div>
            <p>NetSuite items that count as a refund tender (they apply when a NetSuite file is imported):</p>
            <ul>
              {items.map((item) => (
                <li key={item.item}>
                  {item.item}: {KIND_LABELS[item.kind]}
                </li>
              ))}
            </ul>
          </div>
        )}
        <label>
          Days an open Credit Memo may wait for its Customer Refund
          <input value={payoutDays} onChange={(e) => setPayoutDays(e.target.value)} inputMode="numeric" />
        </label>
        <button type="submit" className="primary">
          Save how refunds went back
        </button>
      </form>
      {saved && (
        <p className="notice" role="status">
          Saved. The next comparison uses it.
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
