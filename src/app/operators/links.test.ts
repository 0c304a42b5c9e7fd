import { describe, expect, it } from 'vitest';
import { operatorLinks, originFor } from './links.ts';

const links = operatorLinks('http://localhost:3000', 'x'.repeat(32));
const volna = { publicUrl: null, hostnames: ['localhost', '127.0.0.1'] };
const sever = { publicUrl: null, hostnames: ['sever.localhost'] };

describe('operator links', () => {
  it('defaults each brand to its first host name on the scheme and port of PUBLIC_URL', () => {
    expect(links.base(volna)).toBe('http://localhost:3000');
    expect(links.base(sever)).toBe('http://sever.localhost:3000');
    expect(operatorLinks('https://simdesk.example', '').base({ publicUrl: null, hostnames: ['moy.example'] })).toBe(
      'https://moy.example',
    );
  });

  it("uses the operator's own public URL when set, and PUBLIC_URL for an operator without host names", () => {
    expect(links.base({ publicUrl: 'https://sim.sever.example', hostnames: ['sever.localhost'] })).toBe(
      'https://sim.sever.example',
    );
    expect(links.base({ publicUrl: null, hostnames: [] })).toBe('http://localhost:3000');
  });

  it("keeps the host a person is using when it is one of the brand's, and only then", () => {
    expect(originFor(links, volna, { protocol: 'http', host: '127.0.0.1:3000' })).toBe('http://127.0.0.1:3000');
    expect(originFor(links, sever, { protocol: 'http', host: 'sever.localhost:3000' })).toBe(
      'http://sever.localhost:3000',
    );
    expect(originFor(links, sever, { protocol: 'http', host: 'evil.example' })).toBe('http://sever.localhost:3000');
  });
});
