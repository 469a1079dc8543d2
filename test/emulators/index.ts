import { generateBigcommerceData } from './bigcommerce/dataset';
import { startBigcommerceEmulator } from './bigcommerce/server';
import { generateNetsuiteData } from './netsuite/dataset';
import { demoNetsuiteData } from './netsuite/from-refunds';
import { DEFAULT_TBA, startNetsuiteEmulator } from './netsuite/server';
import { generateShopifyData } from './shopify/dataset';
import { demoShopifyData } from './shopify/from-rest';
import { startShopifyEmulator } from './shopify/server';
import { generateWooData } from './woocommerce/dataset';
import { startWooEmulator } from './woocommerce/server';

/** `npm run emulators`: starts the vendor emulators on 127.0.0.1 and prints how to use them. */
export async function startAll(): Promise<() => Promise<void>> {
  // The demo workspace's data by default (a pull reproduces the demo); EMU_DATA=generated for 500 each.
  const generated = process.env.EMU_DATA === 'generated';
  const netsuite = await startNetsuiteEmulator({
    data: generated ? generateNetsuiteData({ refunds: 500, seed: 42 }) : (await demoNetsuiteData()).data,
    port: Number(process.env.EMU_NETSUITE_PORT ?? 0),
  });
  const shopify = await startShopifyEmulator({
    data: generated ? generateShopifyData({ refunds: 500, seed: 42 }) : demoShopifyData(),
    port: Number(process.env.EMU_SHOPIFY_PORT ?? 0),
  });
  const bigcommerce = await startBigcommerceEmulator({
    data: generateBigcommerceData({ refunds: 500, seed: 42 }),
    port: Number(process.env.EMU_BIGCOMMERCE_PORT ?? 0),
  });
  const woo = await startWooEmulator({
    data: generateWooData({ refunds: 500, seed: 42 }),
    port: Number(process.env.EMU_WOOCOMMERCE_PORT ?? 0),
  });
  const wooHost = new URL(woo.url).host;
  const lines = [
    'Vendor API emulators (loopback only):',
    '',
    'In the shell that runs the app or the CLI, allow API calls to 127.0.0.1 (off by default, so',
    'credentials only ever go to the real vendor hosts):',
    '  export REFUND_RECON_ALLOW_LOOPBACK_APIS=1',
    '',
    `NetSuite  ${netsuite.url}   account ${netsuite.accountId}, ${netsuite.data.expected.length} refund records${generated ? '' : ' (the demo workspace)'}`,
    `  export REFUND_RECON_NETSUITE_CONSUMERKEY=${DEFAULT_TBA.consumerKey}`,
    `  export REFUND_RECON_NETSUITE_CONSUMERSECRET=${DEFAULT_TBA.consumerSecret}`,
    `  export REFUND_RECON_NETSUITE_TOKENID=${DEFAULT_TBA.token}`,
    `  export REFUND_RECON_NETSUITE_TOKENSECRET=${DEFAULT_TBA.tokenSecret}`,
    `  npx refund-recon pull netsuite --account ${netsuite.accountId} --host ${netsuite.url} --workspace demo.sqlite`,
    '',
    `Shopify   ${shopify.url}   ${shopify.data.refundCount} refunds${generated ? '' : ' (the demo workspace)'} (bucket 1000 points, 100 points/s)`,
    `  export REFUND_RECON_SHOPIFY_ACCESSTOKEN=${shopify.accessToken}`,
    `  npx refund-recon pull shopify --shop emulator --base-url ${shopify.url} --workspace demo.sqlite [--bulk]`,
    '',
    `BigCommerce ${bigcommerce.apiUrl}   store ${bigcommerce.storeHash}, ${bigcommerce.data.refunds.length} refunds (quota 150 per 30 s)`,
    `  export REFUND_RECON_BIGCOMMERCE_ACCESSTOKEN=${bigcommerce.accessToken}`,
    `  npx refund-recon pull bigcommerce --store ${bigcommerce.storeHash} --base-url ${bigcommerce.apiUrl} --currency USD --workspace demo.sqlite`,
    '',
    `WooCommerce ${woo.url}   ${woo.data.refundCount} refunds on ${woo.data.orders.length} orders (plain HTTP accepted on 127.0.0.1 only)`,
    `  export REFUND_RECON_WOOCOMMERCE_CONSUMERKEY=${woo.consumerKey}`,
    `  export REFUND_RECON_WOOCOMMERCE_CONSUMERSECRET=${woo.consumerSecret}`,
    `  export REFUND_RECON_WOOCOMMERCE_STOREURL=${woo.url}`,
    `  npx refund-recon pull woocommerce --url ${woo.url} --workspace demo.sqlite`,
    `  (secrets scoped to this store: woocommerce.${wooHost}.consumerKey / .consumerSecret)`,
    '',
    'Ctrl-C stops them.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return async () => {
    await netsuite.close();
    await shopify.close();
    await bigcommerce.close();
    await woo.close();
  };
}
