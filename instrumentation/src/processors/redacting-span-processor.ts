// Scrubs secrets from a span while it is still writable (onEnding runs before the span freezes),
// so no exporter, console or OTLP, ever sees them.
import type { AttributeValue, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { attributeRedactions, redactText } from '../redaction/redact.ts';

export class RedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    for (const [key, value] of attributeRedactions(span.attributes)) {
      span.setAttribute(key, value as AttributeValue);
    }
    for (const event of span.events) {
      const attributes = event.attributes;
      if (!attributes) continue;
      for (const [key, value] of attributeRedactions(attributes)) attributes[key] = value as AttributeValue;
    }
    if (span.status.message) span.status.message = redactText(span.status.message);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
