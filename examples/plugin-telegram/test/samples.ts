/** Telegram updates shaped like the Bot API's, for tests. */
export const BOT_TOKEN = '123456:TEST-token_abc'
export const SECRET_TOKEN = 'telegram-secret-token-1'

export const textUpdate = {
  update_id: 900001,
  message: {
    message_id: 17,
    from: { id: 4242, is_bot: false, first_name: 'Ada', last_name: 'Lovelace', username: 'ada' },
    chat: { id: 4242, type: 'private', first_name: 'Ada' },
    date: 1764849600,
    text: 'hello bot',
    reply_to_message: { message_id: 12, chat: { id: 4242, type: 'private' }, date: 1764849500 },
  },
}

export const editedUpdate = {
  update_id: 900002,
  edited_message: {
    message_id: 17,
    from: { id: 4242, is_bot: false, first_name: 'Ada' },
    chat: { id: 4242, type: 'private' },
    date: 1764849600,
    edit_date: 1764849660,
    text: 'hello bot, edited',
  },
}

export const callbackUpdate = {
  update_id: 900003,
  callback_query: {
    id: '5550001',
    from: { id: 4242, is_bot: false, first_name: 'Ada' },
    message: {
      message_id: 18,
      chat: { id: -100777, type: 'supergroup', title: 'Team' },
      date: 1764849700,
      text: 'Pick one',
    },
    chat_instance: '-88',
    data: 'plan:pro',
  },
}

export const pollUpdate = {
  update_id: 900004,
  poll: { id: 'poll-1', question: 'Lunch?', options: [], total_voter_count: 0, is_closed: false },
}

export const photoUpdate = {
  update_id: 900005,
  message: {
    message_id: 19,
    from: { id: 4242, first_name: 'Ada' },
    chat: { id: 4242, type: 'private' },
    date: 1764849800,
    caption: 'the view',
    photo: [
      { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
      { file_id: 'large', file_unique_id: 'l', width: 1280, height: 853 },
    ],
  },
}

export const diceUpdate = {
  update_id: 900006,
  message: {
    message_id: 20,
    from: { id: 4242 },
    chat: { id: 4242, type: 'private' },
    date: 1764849900,
    dice: { emoji: '🎲', value: 4 },
  },
}
