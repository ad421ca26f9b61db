// TLS material for the live API server: a self-signed CA and a serving certificate for
// 127.0.0.1/localhost, generated at first start and kept beside the kubeconfig.

import { generate } from 'selfsigned';

export interface ServingCerts {
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export async function generateServingCerts(now: Date = new Date()): Promise<ServingCerts> {
  const notAfterDate = new Date(now.getTime() + TEN_YEARS_MS);
  const notBeforeDate = new Date(now.getTime() - 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'kubeprop-ca' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    curve: 'P-256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, cRLSign: true, critical: true },
    ],
  });
  const serving = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    curve: 'P-256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { caCert: ca.cert, cert: serving.cert, key: serving.private };
}
