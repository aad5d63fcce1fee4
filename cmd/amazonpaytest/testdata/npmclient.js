// A shop's backend written with the npm package amazon-payments (0.2.9),
// with its production endpoint configuration (Environment.ProductionEU:
// https://mws-eu.amazonservices.com, https://api.amazon.com), run against
// amazonpaytest --live through its proxy. Nothing here points the package
// at the sandbox: the package's HTTP library ("request") honours
// HTTPS_PROXY by itself and Node trusts the proxy's CA through
// NODE_EXTRA_CA_CERTS, so no agent of our own is installed.
//
// The buyer's part goes through the control API at CONTROL (plain HTTP).
// Env: AMAZON_PAYMENTS (the package's directory), CONTROL, SELLER_ID,
// ACCESS_KEY, SECRET_KEY, CLIENT_ID. Prints one JSON line of results.
'use strict';
const http = require('http');
const amazonPayments = require(process.env.AMAZON_PAYMENTS);

const env = process.env;
const payment = amazonPayments.connect({
  environment: amazonPayments.Environment.ProductionEU,
  sellerId: env.SELLER_ID,
  mwsAccessKey: env.ACCESS_KEY,
  mwsSecretKey: env.SECRET_KEY,
  clientId: env.CLIENT_ID,
});
const mws = payment.offAmazonPayments;

// control calls an endpoint of the control API.
function control(endpoint, args) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(args || {});
    const req = http.request(env.CONTROL + '/_sandbox/v1/' + endpoint, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => {
        const out = JSON.parse(data);
        if (res.statusCode !== 200) reject(new Error(endpoint + ': ' + out.error)); else resolve(out.result);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// call runs one MWS operation of the package.
function call(op, params) {
  return new Promise((resolve, reject) => {
    mws[op](params, (err, res) => (err ? reject(new Error(op + ': ' + (err.code || '') + ' ' + err.message)) : resolve(res)));
  });
}

function fail(msg) { throw new Error(msg); }
function expect(what, got, want) { if (got !== want) fail(what + ': got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want)); }

async function main() {
  // The shop's IPN endpoint, on a free loopback port.
  const received = [];
  const ipn = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => { received.push(data); res.end('ok'); });
  });
  await new Promise((r) => ipn.listen(0, '127.0.0.1', r));
  await control('add-notification-url', { url: 'http://127.0.0.1:' + ipn.address().port + '/ipn' });

  const out = {};
  const urls = { SuccessUrl: 'https://shop.example/ok', FailureUrl: 'https://shop.example/fail' };

  // A one-time EU checkout with the Confirmation Flow.
  const oro = await control('create-order-reference', { b: { PaymentMethod: 'Mastercard **5100' } });
  const token = await control('access-token', { id: oro });
  const profile = await new Promise((resolve, reject) =>
    payment.api.getProfile(token, (err, p) => (err ? reject(err) : resolve(p))));
  expect('profile email', profile.email, 'buyer@example.com');
  await call('setOrderReferenceDetails', {
    AmazonOrderReferenceId: oro,
    OrderReferenceAttributes: { OrderTotal: { Amount: '42.50', CurrencyCode: 'EUR' }, SellerOrderAttributes: { SellerOrderId: 'npm-1' } },
  });
  await call('confirmOrderReference', Object.assign({ AmazonOrderReferenceId: oro }, urls));
  const back = await control('complete-confirmation-flow', { sellerID: env.SELLER_ID, id: oro, status: 'Success' });
  expect('return URL', back, 'https://shop.example/ok?AuthenticationStatus=Success');
  const details = await call('getOrderReferenceDetails', { AmazonOrderReferenceId: oro, AccessToken: token });
  expect('order state', details.OrderReferenceDetails.OrderReferenceStatus.State, 'Open');
  const auth = await call('authorize', {
    AmazonOrderReferenceId: oro, AuthorizationReferenceId: 'npm-auth-1', TransactionTimeout: 0,
    AuthorizationAmount: { Amount: '42.50', CurrencyCode: 'EUR' },
  });
  const authID = auth.AuthorizationDetails.AmazonAuthorizationId;
  expect('authorization state', auth.AuthorizationDetails.AuthorizationStatus.State, 'Open');
  const cap = await call('capture', {
    AmazonAuthorizationId: authID, CaptureReferenceId: 'npm-cap-1', CaptureAmount: { Amount: '42.50', CurrencyCode: 'EUR' },
  });
  const capID = cap.CaptureDetails.AmazonCaptureId;
  expect('capture state', cap.CaptureDetails.CaptureStatus.State, 'Completed');
  const ref = await call('refund', {
    AmazonCaptureId: capID, RefundReferenceId: 'npm-ref-1', RefundAmount: { Amount: '10.00', CurrencyCode: 'EUR' },
  });
  Object.assign(out, { orderReference: oro, authorization: authID, capture: capID, refund: ref.RefundDetails.AmazonRefundId,
    refundState: ref.RefundDetails.RefundStatus.State });

  // A billing agreement: confirm, validate, charge.
  const ba = await control('create-billing-agreement', {});
  await call('confirmBillingAgreement', Object.assign({ AmazonBillingAgreementId: ba }, urls));
  await control('run-confirmation-flow', { sellerID: env.SELLER_ID, id: ba });
  const valid = await call('validateBillingAgreement', { AmazonBillingAgreementId: ba });
  expect('validation', valid.ValidationResult, 'Success');
  const aoba = await call('authorizeOnBillingAgreement', {
    AmazonBillingAgreementId: ba, AuthorizationReferenceId: 'npm-ba-1', TransactionTimeout: 0, CaptureNow: true,
    AuthorizationAmount: { Amount: '9.99', CurrencyCode: 'EUR' }, SellerNote: 'monthly',
  });
  expect('billing agreement charge', aoba.AuthorizationDetails.AuthorizationStatus.State, 'Closed');
  Object.assign(out, { billingAgreement: ba, baAuthorization: aoba.AuthorizationDetails.AmazonAuthorizationId,
    baOrderReference: aoba.AmazonOrderReferenceId });

  // The package's own IPN verification accepts what the sandbox sent; it
  // fetches SigningCertURL (sns.eu-west-1.amazonaws.com) through the proxy.
  await control('advance', { d: '1m' }); // the refund completes (processing delay 30 s)
  await control('wait-notifications', {});
  if (received.length === 0) fail('no notification received');
  const verified = [];
  for (const body of received) {
    const msg = await new Promise((resolve, reject) =>
      payment.parseSNSResponse(JSON.parse(body), (err, m) => (err ? reject(err) : resolve(m))));
    verified.push(msg.NotificationType);
  }
  out.notifications = verified;
  ipn.close();
  console.log(JSON.stringify(out));
}

main().catch((err) => { console.error(err.stack || String(err)); process.exit(1); });
