/**
 * The output rules that apply to tool-call arguments: all of them, except those a policy
 * exempts with `tool_calls: false` (a PII redaction that would break a `send_email` tool's
 * recipient, a word list meant for prose). Derived once per compiled policy; a policy without
 * exemptions is used as it is.
 */
import type { CompiledPolicy } from '../guard/index.js';

const derived = new WeakMap<CompiledPolicy, CompiledPolicy | null>();

/** The policy to scan tool-call arguments with; null when no output rule applies to them. */
export function toolCallPolicy(policy: CompiledPolicy): CompiledPolicy | null {
  let toolPolicy = derived.get(policy);
  if (toolPolicy === undefined) {
    const output = policy.stages.output;
    const applying = output.filter((compiled) => compiled.rule.tool_calls !== false);
    toolPolicy =
      applying.length === 0
        ? null
        : applying.length === output.length
          ? policy
          : { ...policy, stages: { ...policy.stages, output: applying } };
    derived.set(policy, toolPolicy);
  }
  return toolPolicy;
}
