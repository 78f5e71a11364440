// Errors a handler throws to answer 4xx with a JSON body naming the problem (and the field).
export class HttpError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(status: number, message: string, field?: string, extra?: Record<string, unknown>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.field = field;
    this.extra = extra;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.message, ...(this.field ? { field: this.field } : {}), ...this.extra };
  }
}

export const badRequest = (field: string, message: string) =>
  new HttpError(400, `${field}: ${message}`, field);
export const notFound = (message: string) => new HttpError(404, message);
