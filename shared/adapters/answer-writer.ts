// Amazon Bedrock as the answer bot's optional writer (knowledgeBase.generation): one Converse call per
// answered question, temperature 0, the grounded prompt of shared/domain/chat/generation.ts.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { AnswerWriter } from '#shared/domain/chat/generation.ts';

export const bedrockAnswerWriter =
  (modelId: string, maxTokens: number, client = new BedrockRuntimeClient({ maxAttempts: 2 })): AnswerWriter =>
  async (prompt) => {
    const result = await client.send(
      new ConverseCommand({
        modelId,
        system: [{ text: prompt.system }],
        messages: [{ role: 'user', content: [{ text: prompt.user }] }],
        inferenceConfig: { maxTokens, temperature: 0 },
      }),
    );
    // A reply cut short may end mid-step: the article's own text is the better answer then.
    if (result.stopReason !== 'end_turn') return '';
    return (result.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
  };
