// Markdown out of the knowledge base: HTML that cannot run anything, and plain text for chats.
import { describe, expect, it } from 'vitest';
import { plainText } from '#shared/domain/kb/plain-text.ts';
import { renderMarkdown } from '#shared/domain/kb/render-article.ts';

describe('rendering articles', () => {
  it('renders lists and emphasis as HTML', () => {
    // Act / Assert
    expect(renderMarkdown('1. **Matikan** printer\n2. Tunggu')).toBe(
      '<ol>\n<li><strong>Matikan</strong> printer</li>\n<li>Tunggu</li>\n</ol>',
    );
  });

  it('shows raw HTML as text and drops a javascript: link target, so an article cannot run script', () => {
    // Act
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[klik](javascript:alert%281%29)');

    // Assert
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="">klik</a>');
  });

  it('gives chats plain text: no emphasis marks, links spelt out, wrapped lines joined, list items kept', () => {
    // Act
    const text = plainText('Buka **Lupa kata sandi** di\nhalaman [e-Rapor](https://rapor.example).\n1. Satu\n   lanjut\n- dua');

    // Assert
    expect(text).toBe('Buka Lupa kata sandi di halaman e-Rapor (https://rapor.example).\n1. Satu lanjut\n- dua');
  });
});
