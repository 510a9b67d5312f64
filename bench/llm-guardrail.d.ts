/**
 * Types for the npm package `llm_guardrail` (2.1.2 ships JavaScript only), as far as the
 * injection bench calls it: each check resolves to the model's verdict on the text.
 */
declare module 'llm_guardrail' {
  export interface ThreatCheck {
    allowed: boolean;
    detected: boolean;
    prediction: number;
    confidence: number;
  }
  export function checkInjection(prompt: string): Promise<ThreatCheck>;
  export function checkJailbreak(prompt: string): Promise<ThreatCheck>;
  export function checkMalicious(prompt: string): Promise<ThreatCheck>;
}
