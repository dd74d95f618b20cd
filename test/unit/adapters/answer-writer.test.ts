// The Bedrock writer on a mocked client: one Converse call with the grounded prompt at temperature 0; a
// reply cut short counts as no answer.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { bedrockAnswerWriter } from '#shared/adapters/answer-writer.ts';
import '#test/fixtures/aws-mock-matchers.ts';

const bedrock = mockClient(BedrockRuntimeClient);
const writer = bedrockAnswerWriter('amazon.nova-lite-v1:0', 300, new BedrockRuntimeClient({ region: 'ap-southeast-3' }));
const prompt = { system: 'Answer from the article only.', user: 'Article "A":\nStep one.\n\nQuestion: how?' };

beforeEach(() => bedrock.reset());

describe('the Bedrock answer writer', () => {
  it('asks the configured model once, with the prompt, at temperature 0, and returns its text', async () => {
    // Arrange
    bedrock.on(ConverseCommand).resolves({
      stopReason: 'end_turn',
      output: { message: { role: 'assistant', content: [{ text: 'Do step one.' }] } },
    } as never);

    // Act
    const text = await writer(prompt);

    // Assert
    expect(text).toBe('Do step one.');
    expect(bedrock).toHaveReceivedCommandWith(ConverseCommand, {
      modelId: 'amazon.nova-lite-v1:0',
      system: [{ text: prompt.system }],
      messages: [{ role: 'user', content: [{ text: prompt.user }] }],
      inferenceConfig: { maxTokens: 300, temperature: 0 },
    });
  });

  it('returns nothing for a reply cut short at the token limit', async () => {
    // Arrange
    bedrock.on(ConverseCommand).resolves({
      stopReason: 'max_tokens',
      output: { message: { role: 'assistant', content: [{ text: 'Do step' }] } },
    } as never);

    // Act / Assert
    expect(await writer(prompt)).toBe('');
  });
});
