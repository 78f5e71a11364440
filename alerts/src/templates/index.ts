// Go text/template, as much of it as Prometheus alert labels and annotations use, with Prometheus's template
// functions: parse once when rules load, expand at every evaluation.
export {
  ALERT_TEMPLATE_DEFS,
  type AlertTemplateData,
  type CompiledTemplate,
  compileAlertTemplate,
  executeAlertTemplate,
  expandAlertTemplate,
  TemplateError,
  templateFunctionNames,
  templateFunctions,
} from './alert-template.ts';
export { TemplateExecError, type TemplateFunction } from './exec.ts';
export { formatFloat, formatFloatV } from './go-float.ts';
export { sprintf } from './go-printf.ts';
export {
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  type PrometheusFunctionContext,
  type QuerySample,
  type TemplateQueryFunction,
} from './prometheus-functions.ts';
