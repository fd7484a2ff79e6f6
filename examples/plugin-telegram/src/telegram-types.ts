/**
 * The parts of Bot API objects this plugin reads. Telegram adds fields over time, so every
 * field is optional here and checked before use.
 */
export interface TelegramUser {
  id?: number
  is_bot?: boolean
  first_name?: string
  last_name?: string
  username?: string
}

export interface TelegramChat {
  id?: number
  type?: string
  title?: string
}

export interface TelegramFile {
  file_id?: string
  file_unique_id?: string
  mime_type?: string
  file_name?: string
}

export interface TelegramMessage {
  message_id?: number
  from?: TelegramUser
  chat?: TelegramChat
  /** Unix seconds. */
  date?: number
  text?: string
  caption?: string
  reply_to_message?: { message_id?: number }
  photo?: TelegramFile[]
  document?: TelegramFile
  audio?: TelegramFile
  voice?: TelegramFile
  video?: TelegramFile
  animation?: TelegramFile
  sticker?: TelegramFile & { is_animated?: boolean; is_video?: boolean }
  location?: { latitude?: number; longitude?: number }
  venue?: { location?: { latitude?: number; longitude?: number }; title?: string; address?: string }
  contact?: { phone_number?: string; first_name?: string; last_name?: string; user_id?: number }
}

export interface TelegramCallbackQuery {
  id?: string
  from?: TelegramUser
  message?: TelegramMessage
  data?: string
}

export interface TelegramUpdate {
  update_id: number
  message?: TelegramMessage
  edited_message?: TelegramMessage
  callback_query?: TelegramCallbackQuery
  [other: string]: unknown
}

/** The response body of every Bot API method. */
export interface TelegramApiResponse {
  ok?: boolean
  result?: { message_id?: number }
  error_code?: number
  description?: string
  parameters?: { retry_after?: number; migrate_to_chat_id?: number }
}
