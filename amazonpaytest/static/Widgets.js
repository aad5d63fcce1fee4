// Widgets.js of amazonpaytest, the offline Amazon Pay sandbox: a fake of a
// subset of Amazon's Login and Pay with Amazon widgets, with their names and
// call shapes, backed by the sandbox's buyer-side model. The list of what
// it implements and fakes is in amazonpaytest/widgets.go.
(function () {
  'use strict';

  // The sandbox is where this script came from.
  var src = document.currentScript ? document.currentScript.src : '';
  var base = src.replace(/\/widgets\/Widgets\.js(\?.*)?$/, '');
  var api = base + '/widgets/v1/';
  var TOKEN_COOKIE = 'amazon_Login_accessToken';

  function widgetError(code, message) {
    return {
      getErrorCode: function () { return code; },
      getErrorMessage: function () { return message; }
    };
  }

  function call(op, body) {
    return fetch(api + op, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().then(function (data) {
        if (!resp.ok) {
          throw widgetError(data.errorCode || 'UnknownError', data.errorMessage || ('HTTP ' + resp.status));
        }
        return data;
      });
    }, function (err) {
      throw widgetError('UnknownError', 'The Amazon Pay sandbox cannot be reached: ' + err);
    });
  }

  function reportError(options, err) {
    if (!err || typeof err.getErrorCode !== 'function') {
      err = widgetError('UnknownError', String(err));
    }
    if (options && typeof options.onError === 'function') {
      options.onError(err);
    } else if (window.console) {
      console.error('Amazon Pay widget error: ' + err.getErrorCode() + ': ' + err.getErrorMessage());
    }
  }

  function whenReady(fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split('=');
      if (kv[0] === name) { return decodeURIComponent(kv.slice(1).join('=')); }
    }
    return '';
  }

  // ---- amazon.Login ----

  var clientId = '';
  var Login = {
    setClientId: function (id) { clientId = String(id || ''); },
    getClientId: function () { return clientId; },
    setUseCookie: function () {},
    setSandboxMode: function () {},
    setSiteDomain: function () {},
    setRegion: function () {},
    // authorize signs the sandbox's test buyer in (no password, no popup).
    // As Amazon sends the buyer only to a return URL registered for the
    // client id, a next URL that is not http(s) on the page's own origin
    // (a javascript: URL, another site) is refused before the sign-in,
    // with Login with Amazon's error, and nothing is navigated to.
    authorize: function (options, next) {
      options = options || {};
      var request = { status: 'in_progress' };
      if (typeof next === 'string' && !ownOrigin(next)) {
        request.status = 'complete';
        request.error = 'invalid_request';
        request.error_description = 'The redirect URI you provided has not been whitelisted for your application.';
        reportError(options, widgetError(request.error, request.error_description));
        return request;
      }
      call('login', { clientId: clientId, scope: String(options.scope || '') }).then(function (tok) {
        document.cookie = TOKEN_COOKIE + '=' + encodeURIComponent(tok.access_token) + '; path=/; max-age=3600';
        request.status = 'complete';
        if (typeof next === 'string') {
          var q = 'access_token=' + encodeURIComponent(tok.access_token) + '&token_type=bearer&expires_in=3600&scope=' + encodeURIComponent(tok.scope);
          window.location.assign(next + (next.indexOf('?') < 0 ? '?' : '&') + q);
        } else if (typeof next === 'function') {
          next(tok);
        }
      }, function (err) {
        request.status = 'complete';
        if (typeof next === 'function') {
          next({ error: err.getErrorCode(), error_description: err.getErrorMessage() });
        } else {
          reportError(options, err);
        }
      });
      return request;
    },
    logout: function () {
      document.cookie = TOKEN_COOKIE + '=; path=/; max-age=0';
    }
  };

  function accessToken() { return readCookie(TOKEN_COOKIE); }

  // ownOrigin reports whether url (absolute, or relative to the page) is
  // an http(s) URL of the page's origin.
  function ownOrigin(url) {
    var u;
    try { u = new URL(url, window.location.href); } catch (e) { return false; }
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === window.location.origin;
  }

  // ---- OffAmazonPayments.Button ----

  function Button(divId, sellerId, options) {
    options = options || {};
    whenReady(function () {
      var div = document.getElementById(divId);
      if (!div) {
        reportError(options, widgetError('InvalidParameterValue', 'no element with id ' + divId));
        return;
      }
      var label = (options.type === 'LwA' || options.type === 'LoginWithAmazon') ? 'Login with Amazon' : 'Amazon Pay';
      var b = el('button', { type: 'button', id: divId + '-button', 'class': 'amazonpay-button',
        style: 'background:#f7ca4d;border:1px solid #a88734;border-radius:3px;padding:6px 18px;font-weight:bold;cursor:pointer' }, label);
      b.addEventListener('click', function () {
        if (typeof options.authorization === 'function') {
          options.authorization();
        } else {
          reportError(options, widgetError('InvalidParameterValue', 'the Button has no authorization function'));
        }
      });
      div.textContent = '';
      div.appendChild(b);
    });
  }

  // ---- OffAmazonPayments.Widgets ----

  // The object the widgets of this page share, created by the first one.
  var shared = { orderReference: null, billingAgreement: null };

  function isAgreement(options) { return options.agreementType === 'BillingAgreement'; }

  function objectFor(options) {
    var token = accessToken();
    if (!token) {
      return Promise.reject(widgetError('BuyerSessionExpired', 'The buyer is not signed in.'));
    }
    if (isAgreement(options)) {
      if (options.amazonBillingAgreementId) {
        return call('wallet', { sellerId: options.sellerId, id: options.amazonBillingAgreementId, accessToken: token });
      }
      if (!shared.billingAgreement) {
        shared.billingAgreement = call('billing-agreement', { sellerId: options.sellerId, accessToken: token });
      }
      return shared.billingAgreement;
    }
    if (options.amazonOrderReferenceId) {
      return call('wallet', { sellerId: options.sellerId, id: options.amazonOrderReferenceId, accessToken: token });
    }
    if (!shared.orderReference) {
      shared.orderReference = call('order-reference', { sellerId: options.sellerId, accessToken: token });
    }
    return shared.orderReference;
  }

  function handle(view) {
    if (view.kind === 'BillingAgreement') {
      return { getAmazonBillingAgreementId: function () { return view.id; } };
    }
    return { getAmazonOrderReferenceId: function () { return view.id; } };
  }

  // widget renders one of the AddressBook and Wallet widgets: a titled list
  // of radio buttons, one per choice.
  function widget(kind, options) {
    options = options || {};
    return {
      bind: function (divId) {
        whenReady(function () {
          var div = document.getElementById(divId);
          if (!div) {
            reportError(options, widgetError('InvalidParameterValue', 'no element with id ' + divId));
            return;
          }
          objectFor(options).then(function (view) {
            if (!options.amazonOrderReferenceId && !options.amazonBillingAgreementId &&
                typeof options.onOrderReferenceCreate === 'function' && view.kind === 'OrderReference') {
              options.onOrderReferenceCreate(handle(view));
            }
            render(kind, div, options, view);
            if (typeof options.onReady === 'function') { options.onReady(handle(view)); }
          }).catch(function (err) { reportError(options, err); });
        });
        return this;
      }
    };
  }

  function render(kind, div, options, view) {
    var token = accessToken();
    var box = el('fieldset', { 'class': 'amazonpay-widget amazonpay-' + kind.toLowerCase(), 'data-amazon-id': view.id,
      style: 'border:1px solid #ccc;border-radius:4px;padding:8px;margin:6px 0' });
    box.appendChild(el('legend', {}, kind === 'AddressBook' ? 'Amazon Pay: shipping address' : 'Amazon Pay: payment method'));
    var items = kind === 'AddressBook' ? view.addresses : view.paymentMethods;
    items.forEach(function (item, i) {
      var id = div.id + '-' + i;
      var input = el('input', { type: 'radio', name: div.id, id: id,
        value: kind === 'AddressBook' ? String(item.index) : item.method });
      input.checked = item.selected;
      var label = el('label', { 'for': id },
        kind === 'AddressBook' ? ' ' + item.label : ' ' + item.method + ' (' + item.note + ')');
      var row = el('div');
      row.appendChild(input);
      row.appendChild(label);
      box.appendChild(row);
      input.addEventListener('change', function () {
        var body = { sellerId: options.sellerId, id: view.id, accessToken: token };
        var op;
        if (kind === 'AddressBook') {
          op = 'select-address';
          body.addressIndex = item.index;
        } else {
          op = 'select-payment-method';
          body.paymentMethod = item.method;
        }
        call(op, body).then(function (v) {
          var cb = kind === 'AddressBook' ? options.onAddressSelect : options.onPaymentSelect;
          if (typeof cb === 'function') { cb(handle(v)); }
        }).catch(function (err) { reportError(options, err); });
      });
    });
    div.textContent = '';
    div.appendChild(box);
  }

  function consentStatus(v) {
    return { getConsentStatus: function () { return v ? 'true' : 'false'; } };
  }

  function Consent(options) {
    options = options || {};
    return {
      bind: function (divId) {
        whenReady(function () {
          var div = document.getElementById(divId);
          var token = accessToken();
          if (!div || !options.amazonBillingAgreementId) {
            reportError(options, widgetError('InvalidParameterValue', 'Consent needs an element and amazonBillingAgreementId'));
            return;
          }
          call('wallet', { sellerId: options.sellerId, id: options.amazonBillingAgreementId, accessToken: token }).then(function (view) {
            var box = el('fieldset', { 'class': 'amazonpay-widget amazonpay-consent', style: 'border:1px solid #ccc;border-radius:4px;padding:8px;margin:6px 0' });
            box.appendChild(el('legend', {}, 'Amazon Pay: consent'));
            var input = el('input', { type: 'checkbox', id: divId + '-checkbox' });
            input.checked = view.consent;
            box.appendChild(input);
            box.appendChild(el('label', { 'for': divId + '-checkbox' },
              ' I allow the merchant to charge my chosen Amazon Pay payment method for future payments of this subscription.'));
            input.addEventListener('change', function () {
              call('consent', { sellerId: options.sellerId, id: view.id, accessToken: token, consent: input.checked }).then(function (v) {
                if (typeof options.onConsent === 'function') { options.onConsent(consentStatus(v.consent)); }
              }).catch(function (err) { reportError(options, err); });
            });
            div.textContent = '';
            div.appendChild(box);
            if (typeof options.onReady === 'function') { options.onReady(consentStatus(view.consent)); }
          }).catch(function (err) { reportError(options, err); });
        });
        return this;
      }
    };
  }

  // ---- OffAmazonPayments.initConfirmationFlow ----

  function initConfirmationFlow(sellerId, id, callback) {
    var overlay = el('div', { id: 'amazonpay-confirmation-flow',
      style: 'position:fixed;inset:0;background:rgba(255,255,255,.8);display:flex;align-items:center;justify-content:center;font-size:1.3em' },
      'Amazon Pay is processing your order …');
    document.body.appendChild(overlay);
    var done = false;
    var confirmationFlow = {
      // success continues to the Amazon-hosted page (the issuer's challenge).
      success: function () {
        if (done) { return; }
        done = true;
        window.location.assign(base + '/widgets/challenge?sellerId=' + encodeURIComponent(sellerId) +
          '&amazonPaymentContractId=' + encodeURIComponent(id));
      },
      // error aborts the flow: the buyer stays on the shop's page.
      error: function () {
        if (done) { return; }
        done = true;
        if (overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
      }
    };
    callback(confirmationFlow);
  }

  window.amazon = window.amazon || {};
  window.amazon.Login = Login;
  window.OffAmazonPayments = {
    Button: Button,
    Widgets: {
      AddressBook: function (options) { return widget('AddressBook', options); },
      Wallet: function (options) { return widget('Wallet', options); },
      Consent: Consent
    },
    initConfirmationFlow: initConfirmationFlow,
    amazonpaytest: true
  };

  whenReady(function () {
    if (typeof window.onAmazonLoginReady === 'function') { window.onAmazonLoginReady(); }
    if (typeof window.onAmazonPaymentsReady === 'function') { window.onAmazonPaymentsReady(); }
  });
})();
