// Alert label and annotation templates as Prometheus runs them: the text is parsed after the same variable
// definitions Prometheus prepends ({{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
// {{$externalURL := .ExternalURL}}{{$value := .Value}}), named `__alert_<alertname>`, with `.Labels`,
// `.ExternalLabels`, `.ExternalURL` and `.Value` as data. Parsing happens once, when the rules load (an
// unknown function is an error there, as in Go); expansion never throws: a failure becomes
// "<error expanding template: ...>", which is what Prometheus puts in the annotation.
import type { ListNode } from './ast.ts';
import { BUILTINS } from './builtins.ts';
import { executeTemplate, type TemplateFunction } from './exec.ts';
import { GoMap, GoStruct, type GoValue } from './go-values.ts';
import { parseTemplate, TemplateParseError } from './parser.ts';
import { type PrometheusFunctionContext, prometheusFunctions } from './prometheus-functions.ts';

export const ALERT_TEMPLATE_DEFS =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

const FUNCTION_NAMES: ReadonlySet<string> = new Set([...BUILTINS.keys(), ...prometheusFunctions({}).keys()]);

/** Every function a template may call: Go's builtins and Prometheus's. */
export function templateFunctionNames(): string[] {
  return [...FUNCTION_NAMES].sort();
}

/** A template that does not parse. `offset` is where in the template text (without the defs) it fails. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly offset: number;
  /** Go's message without the "template: NAME:LINE: " prefix, e.g. `function "foo" not defined`. */
  readonly detail: string;

  constructor(message: string, detail: string, offset: number) {
    super(message);
    this.detail = detail;
    this.offset = offset;
  }
}

export interface CompiledTemplate {
  readonly text: string;
  readonly name: string;
  readonly tree: ListNode;
}

export interface AlertTemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  value: number;
}

/** Parses one label or annotation template of alert `alertName`. Throws TemplateError. */
export function compileAlertTemplate(text: string, alertName: string): CompiledTemplate {
  const name = `__alert_${alertName}`;
  try {
    const tree = parseTemplate(ALERT_TEMPLATE_DEFS + text, { name, functions: FUNCTION_NAMES });
    return { text, name, tree };
  } catch (error) {
    if (!(error instanceof TemplateParseError)) throw error;
    const offset = Math.max(0, Math.min(text.length, error.pos - ALERT_TEMPLATE_DEFS.length));
    throw new TemplateError(error.message, error.detail, offset);
  }
}

const DATA_TYPE =
  'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }';

/** Expands a template; throws TemplateExecError (Go's "template: ...: executing ..." message). */
export function executeAlertTemplate(
  template: CompiledTemplate,
  data: AlertTemplateData,
  context: PrometheusFunctionContext = {},
  functions?: ReadonlyMap<string, TemplateFunction>,
): string {
  const dot = new GoStruct(
    DATA_TYPE,
    new Map<string, GoValue>([
      ['Labels', GoMap.ofStrings(data.labels)],
      ['ExternalLabels', GoMap.ofStrings(data.externalLabels)],
      ['ExternalURL', data.externalURL],
      ['Value', data.value],
    ]),
  );
  return executeTemplate(template.tree, dot, {
    name: template.name,
    text: ALERT_TEMPLATE_DEFS + template.text,
    functions: functions ?? templateFunctions(context),
  });
}

/** The function table of one evaluation (the query function and external URL bound in). */
export function templateFunctions(context: PrometheusFunctionContext): Map<string, TemplateFunction> {
  return new Map([...BUILTINS, ...prometheusFunctions(context)]);
}

/** Expands a template as Prometheus does for an alert: errors become "<error expanding template: ...>". */
export function expandAlertTemplate(
  template: CompiledTemplate,
  data: AlertTemplateData,
  context: PrometheusFunctionContext = {},
  functions?: ReadonlyMap<string, TemplateFunction>,
): string {
  try {
    return executeAlertTemplate(template, data, context, functions);
  } catch (error) {
    return `<error expanding template: error executing template ${template.name}: ${(error as Error).message}>`;
  }
}
