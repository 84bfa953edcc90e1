import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { findCredentials, kubeconfigCredentials, pemCredentials, secretCredentials } from './credentials.js';

const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const keyBody = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKB';
const pem = `-----BEGIN PRIVATE KEY-----\n${keyBody}\nwUrzKZ3bA1tE7nOoP5s6Y0xq9Rr2m4cDeFgHiJkLmNoPqRsTuVwXyZ01234\n-----END PRIVATE KEY-----\n`;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('the credentials a run made', () => {
  it('are read from kubeconfig users: tokens, inline client keys and their PEM lines', () => {
    const kubeconfig = stringify({
      users: [
        { name: 'a', user: { token } },
        { name: 'b', user: { 'client-key-data': b64(pem) } },
      ],
    });
    const found = kubeconfigCredentials(kubeconfig);
    expect(found).toContain(token);
    expect(found).toContain(b64(pem));
    expect(found).toContain(keyBody);
  });

  it('are read from Secrets: service-account tokens, kubeconfigs and keys, not CA certificates', () => {
    const found = secretCredentials({
      data: {
        token: b64(token),
        'ca.crt': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
        'tls.key': b64(pem),
      },
    });
    expect(found).toContain(token);
    expect(found).toContain(keyBody);
    expect(found.some((v) => v.includes('CERTIFICATE'))).toBe(false);
  });

  it('a PEM without a private key is not one', () => {
    expect(pemCredentials('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toEqual([]);
  });
});

describe('findCredentials', () => {
  it('names each place a credential appears, by a fingerprint, never by the credential', () => {
    const found = findCredentials(
      [
        { place: 'hub.log', text: `connecting with Authorization: Bearer ${token}\n` },
        { place: 'control: Events', text: '[{"message":"the member apiserver rejected the credentials"}]' },
        { place: 'api-responses.log', text: `{"key":"${keyBody}"}` },
      ],
      [token, keyBody],
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^hub\.log: credential sha256:[0-9a-f]{12}$/);
    expect(found[1]).toMatch(/^api-responses\.log: /);
    expect(found.join('\n')).not.toContain(token);
  });

  it('finds nothing in clean text', () => {
    expect(findCredentials([{ place: 'hub.log', text: 'member-2: Unauthorized (HTTP 401)' }], [token])).toEqual([]);
  });
});
