// Builds the answer bot's ports once per cold start: its sessions, the articles, the knowledge-base
// counters, the ticket ports its handoff files through (those of filing alone), and Bedrock when generation is on.
import { randomBytes } from 'node:crypto';
import { bedrockAnswerWriter } from '#shared/adapters/answer-writer.ts';
import { createChatSessionStore } from '#shared/adapters/chat-session-store.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createArticleStore, createDeflectionStore } from '#shared/adapters/kb-store.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { ChatDeps } from '#shared/domain/chat/converse.ts';
import { errorForLog, logger } from '#shared/observability.ts';
import { ticketCreationDeps } from './ticket-deps.ts';

let deps: ChatDeps | undefined;

export const chatDeps = (): ChatDeps => {
  if (!deps) {
    const client = dynamoDocumentClient();
    const config = loadConfig();
    const { generation } = config.knowledgeBase;
    deps = {
      sessions: createChatSessionStore(client, tableName()),
      articles: createArticleStore(client, tableName()),
      counters: createDeflectionStore(client, tableName()),
      tickets: ticketCreationDeps(),
      clock: systemClock,
      // 144 random bits: the id is the only thing a web client holds of its conversation.
      newSessionId: () => randomBytes(18).toString('base64url'),
      config,
      writer: generation.enabled ? bedrockAnswerWriter(generation.modelId, generation.maxTokens) : undefined,
      onGenerationError: (error) => logger.warn('answer generation failed; the article text was sent', { error: errorForLog(error) }),
    };
  }
  return deps;
};
