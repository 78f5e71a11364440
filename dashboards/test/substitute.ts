// Grafana's variable substitution for the tests: dashboard variables by value (a multi-value variable as a
// regex alternation, as Grafana formats it for =~), and the built-in intervals the queries use.
export function substituteVariables(query: string, values: Record<string, string | string[]>): string {
  const builtins: Record<string, string> = {
    __rate_interval: '1m',
    __interval: '15s',
    __range: '1h',
    __range_s: '3600',
  };
  return query.replace(/\$\{?(\w+)\}?/g, (match, name: string) => {
    if (name in builtins) return builtins[name] as string;
    const value = values[name];
    if (value === undefined) return match;
    return Array.isArray(value) ? `(${value.join('|')})` : value;
  });
}
