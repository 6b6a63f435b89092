
    const schema = {
  "asyncapi": "3.0.0",
  "id": "urn:dev:tidewire:protocol",
  "info": {
    "title": "Tidewire",
    "version": "1.0.0",
    "description": "One WebSocket protocol for campaign, chat and market endpoints. The normative text, with every requirement ID, is docs/protocol.md; this document describes the channels and messages for people and generators.\n\nOperations are described from the client side: `receive` for server→client messages, `send` for client→server messages.",
    "license": {
      "name": "MIT",
      "url": "https://opensource.org/licenses/MIT"
    },
    "contact": {
      "name": "Tidewire maintainers",
      "url": "https://tidewire.dev"
    },
    "tags": [
      {
        "name": "campaign",
        "description": "Progress of message-sending campaigns (source 001 in docs/protocol.md)."
      },
      {
        "name": "chat",
        "description": "Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003)."
      },
      {
        "name": "market",
        "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
      },
      {
        "name": "socket.io",
        "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
      }
    ],
    "externalDocs": {
      "description": "Normative protocol text",
      "url": "https://tidewire.dev/docs/protocol"
    }
  },
  "defaultContentType": "application/json",
  "servers": {
    "reference": {
      "host": "localhost:3000",
      "protocol": "ws",
      "title": "Reference server",
      "description": "The bundled reference server (`npm start`), with simulated sources.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the `Authorization: Bearer <token>` header of the upgrade request. Preferred."
        },
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "JWT in the `token` query parameter, for browsers (which cannot set headers on a WebSocket) and the original clients. Weaker: URLs end up in server, proxy and browser logs."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "JWT carried as a `bearer.<base64url(token)>` entry of the offered subprotocols (browsers can set this header). The server never selects that entry ([AUTH-005](protocol.html#AUTH-005)). AsyncAPI has no WebSocket-subprotocol scheme; `httpApiKey` in the header that carries it is the closest."
        }
      ]
    },
    "production": {
      "host": "tidewire.example.com",
      "protocol": "wss",
      "title": "Production (placeholder)",
      "description": "A deployed server; replace the host. Production deployments use TLS.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the `Authorization: Bearer <token>` header of the upgrade request. Preferred."
        },
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "JWT in the `token` query parameter, for browsers (which cannot set headers on a WebSocket) and the original clients. Weaker: URLs end up in server, proxy and browser logs."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "JWT carried as a `bearer.<base64url(token)>` entry of the offered subprotocols (browsers can set this header). The server never selects that entry ([AUTH-005](protocol.html#AUTH-005)). AsyncAPI has no WebSocket-subprotocol scheme; `httpApiKey` in the header that carries it is the closest."
        }
      ]
    },
    "referenceSocketIo": {
      "host": "localhost:3000",
      "pathname": "/socket.io/",
      "protocol": "socket.io",
      "protocolVersion": "5",
      "title": "Reference server, Socket.IO binding",
      "description": "The Socket.IO binding of the bundled reference server (Engine.IO 4, Socket.IO 5), on the port of its WebSocket endpoints, with the polling and websocket transports.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the data of the Socket.IO CONNECT packet, `{\"token\": \"<JWT>\"}` (socket.io-client's `auth: {token}`), or in the `Authorization: Bearer` header of the Engine.IO handshake request. A CONNECT without a token is accepted for the user of its Engine.IO connection when another namespace of that connection presented one ([SIO-007](protocol.html#SIO-007))."
        }
      ]
    },
    "productionSocketIo": {
      "host": "tidewire.example.com",
      "pathname": "/socket.io/",
      "protocol": "socket.io",
      "protocolVersion": "5",
      "title": "Production (placeholder), Socket.IO binding",
      "description": "A deployed server's Socket.IO binding; replace the host. Production deployments use TLS (https and wss).",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the data of the Socket.IO CONNECT packet, `{\"token\": \"<JWT>\"}` (socket.io-client's `auth: {token}`), or in the `Authorization: Bearer` header of the Engine.IO handshake request. A CONNECT without a token is accepted for the user of its Engine.IO connection when another namespace of that connection presented one ([SIO-007](protocol.html#SIO-007))."
        }
      ]
    }
  },
  "channels": {
    "socketio_notifications": {
      "address": "/notifications",
      "title": "Socket.IO /notifications",
      "summary": "Socket.IO binding: namespace /notifications",
      "description": "The events of `/ws/notifications/` over Socket.IO (docs/protocol.md, section 14a). CONNECT with `{token}` (socket.io-client's `auth`); a missing, invalid or expired token gets CONNECT_ERROR whose `data` is an `authentication_error`. Data events carry the WebSocket messages and their offset; a CONNECT with `{pid, offset}` recovers a dropped session.",
      "servers": [
        "$ref:$.servers.referenceSocketIo",
        "$ref:$.servers.productionSocketIo"
      ],
      "messages": {
        "ConnectionEstablished": {
          "name": "connection:established",
          "title": "connection:established",
          "summary": "Emitted right after CONNECT: the session, the protocol version and the timers and limits ([SIO-003](protocol.html#SIO-003)).",
          "description": "Server event, no offset. Its payload is the WebSocket binding's `connection_established` message, with `namespace` instead of `endpoint`, `rateLimit.per: \"user\"` and `resumed: true` after a recovery.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/connection_established.json",
            "title": "ConnectionEstablished",
            "description": "First message on every connection ([HS-002](protocol.html#HS-002)): the session, the protocol version and the timers and limits the server applies.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "connection_established",
                "x-parser-schema-id": "<anonymous-schema-1>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "message": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-2>"
              },
              "sessionId": {
                "type": "string",
                "minLength": 1,
                "x-parser-schema-id": "<anonymous-schema-3>"
              },
              "protocolVersion": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-4>"
              },
              "endpoint": {
                "type": "string",
                "description": "Endpoint name from the catalogue, e.g. `campaigns`.",
                "x-parser-schema-id": "<anonymous-schema-5>"
              },
              "heartbeatIntervalMs": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-6>"
              },
              "heartbeatTimeoutMs": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-7>"
              },
              "resumeWindowMs": {
                "type": "integer",
                "minimum": 0,
                "x-parser-schema-id": "<anonymous-schema-8>"
              },
              "maxMessageBytes": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-9>"
              },
              "rateLimit": {
                "type": "object",
                "required": [
                  "maxMessages",
                  "windowMs"
                ],
                "properties": {
                  "maxMessages": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-11>"
                  },
                  "windowMs": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-12>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-10>"
              },
              "auth": {
                "type": "object",
                "required": [
                  "mode"
                ],
                "properties": {
                  "mode": {
                    "type": "string",
                    "enum": [
                      "required",
                      "optional"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-14>"
                  },
                  "userId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-15>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-13>"
              },
              "resumed": {
                "type": "boolean",
                "description": "True when this connection resumed an earlier session.",
                "x-parser-schema-id": "<anonymous-schema-16>"
              },
              "profiles": {
                "type": "array",
                "items": {
                  "type": "string",
                  "x-parser-schema-id": "<anonymous-schema-18>"
                },
                "description": "The profiles the server offers ([SRC-004](protocol.html#SRC-004)), e.g. `pilito`: each is the set of endpoints of one source system.",
                "x-parser-schema-id": "<anonymous-schema-17>"
              },
              "maxMessageDepth": {
                "type": "integer",
                "minimum": 1,
                "description": "Deepest nesting of arrays and objects accepted in a client message ([ERR-011](protocol.html#ERR-011)).",
                "x-parser-schema-id": "<anonymous-schema-19>"
              },
              "maxMessageItems": {
                "type": "integer",
                "minimum": 1,
                "description": "Most array elements and object members, over the whole message, accepted in a client message ([ERR-011](protocol.html#ERR-011)).",
                "x-parser-schema-id": "<anonymous-schema-20>"
              },
              "userRateLimit": {
                "type": "object",
                "description": "Client messages of all connections of one user together (without a token: of one client address) per window ([RL-009](protocol.html#RL-009)).",
                "required": [
                  "maxMessages",
                  "windowMs"
                ],
                "properties": {
                  "maxMessages": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-22>"
                  },
                  "windowMs": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-23>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-21>"
              },
              "connectionLimits": {
                "type": "object",
                "description": "Open connections allowed per user ([SEC-004](protocol.html#SEC-004)), per client address ([SEC-005](protocol.html#SEC-005)) and in total ([SEC-006](protocol.html#SEC-006)).",
                "properties": {
                  "perUser": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-25>"
                  },
                  "perAddress": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-26>"
                  },
                  "total": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-27>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-24>"
              },
              "instanceId": {
                "type": "string",
                "minLength": 1,
                "description": "Which instance of a deployment of several accepted the connection: the same on all of its connections, different on every other instance ([CLU-001](protocol.html#CLU-001)).",
                "x-parser-schema-id": "<anonymous-schema-28>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "connection_established",
                "message": "✅ WebSocket connected successfully",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "s_4f9c2a7d1e",
                "protocolVersion": "1.0",
                "endpoint": "conversations",
                "heartbeatIntervalMs": 30000,
                "heartbeatTimeoutMs": 10000,
                "resumeWindowMs": 120000,
                "maxMessageBytes": 65536,
                "rateLimit": {
                  "maxMessages": 100,
                  "windowMs": 60000
                },
                "auth": {
                  "mode": "optional",
                  "userId": "1"
                },
                "profiles": [
                  "campaign-sender",
                  "pilito",
                  "depth",
                  "market-data"
                ]
              }
            ]
          },
          "examples": [
            {
              "name": "connection_established",
              "payload": {
                "type": "connection_established",
                "message": "✅ Socket.IO connected successfully",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "b7a4c1e2-5f0d-4c3b-9a8e-2d6f1e0c9b7a",
                "protocolVersion": "1.0",
                "namespace": "/chat",
                "heartbeatIntervalMs": 30000,
                "heartbeatTimeoutMs": 10000,
                "resumeWindowMs": 120000,
                "maxMessageBytes": 65536,
                "rateLimit": {
                  "maxMessages": 100,
                  "windowMs": 60000,
                  "per": "user"
                },
                "auth": {
                  "mode": "required",
                  "userId": "2"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ConnectionEstablished"
        },
        "Error": {
          "name": "error",
          "title": "error",
          "summary": "Source 002's error event: answers a refused client event that was emitted without a callback ([SIO-014](protocol.html#SIO-014), [SIO-015](protocol.html#SIO-015), [SIO-016](protocol.html#SIO-016)).",
          "description": "Server event, no offset. Its payload is the `error` member of the WebSocket binding's `error` message, with `event` (the refused event) and `timestamp` added; `code` is a code of section 8, or source 002's `SOCKET_ERROR`.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../common/error-object.json",
            "title": "ErrorInfo",
            "description": "The `error` member of an `error` message. `code` is an upper-snake-case string; the known codes are listed in docs/protocol.md (\"Errors\"), others (such as the legacy `SOCKET_ERROR`) are allowed.",
            "type": "object",
            "required": [
              "code",
              "message"
            ],
            "properties": {
              "code": {
                "type": "string",
                "pattern": "^[A-Z][A-Z0-9_]*$",
                "description": "Stable error code.",
                "x-parser-schema-id": "<anonymous-schema-29>"
              },
              "message": {
                "type": "string",
                "description": "Human-readable explanation.",
                "x-parser-schema-id": "<anonymous-schema-30>"
              },
              "details": {
                "description": "Any JSON value. For INVALID_MESSAGE an object `{path, errors}` whose `path` is the JSON Pointer of the failing value (`/` for the root).",
                "x-parser-schema-id": "<anonymous-schema-31>"
              },
              "retryAfterMs": {
                "type": "integer",
                "minimum": 0,
                "description": "Milliseconds to wait before retrying (RATE_LIMITED).",
                "x-parser-schema-id": "<anonymous-schema-32>"
              },
              "closeCode": {
                "type": "integer",
                "minimum": 4000,
                "maximum": 4999,
                "description": "Present when the server closes the connection right after this message, with this code ([CL-001](protocol.html#CL-001)).",
                "x-parser-schema-id": "<anonymous-schema-33>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "code": "INVALID_MESSAGE",
                "message": "must be integer",
                "details": {
                  "path": "/conversationId",
                  "errors": []
                }
              },
              {
                "code": "RATE_LIMITED",
                "message": "Too many messages",
                "retryAfterMs": 12000
              }
            ]
          },
          "examples": [
            {
              "name": "error",
              "payload": {
                "code": "INVALID_MESSAGE",
                "message": "/projectId: must be integer",
                "details": {
                  "path": "/projectId",
                  "errors": [
                    {
                      "path": "/projectId",
                      "message": "must be integer"
                    }
                  ]
                },
                "event": "project:join",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "Error"
        },
        "Ack": {
          "name": "ack",
          "title": "acknowledgement (ack)",
          "summary": "The argument of an acknowledgement callback when the event succeeded: the WebSocket binding's `ack` message ([SIO-013](protocol.html#SIO-013)).",
          "description": "`id` is the Socket.IO packet's acknowledgement id; `data` is the result of the event, as `ack.data` of its WebSocket message. Not an event: it travels in an ACK packet.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/ack.json",
            "title": "Ack",
            "description": "Positive answer to a client message that carried an `id` ([ACK-001](protocol.html#ACK-001)).",
            "type": "object",
            "required": [
              "type",
              "id",
              "ok"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "ack",
                "x-parser-schema-id": "<anonymous-schema-34>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "ok": {
                "type": "boolean",
                "const": true,
                "x-parser-schema-id": "<anonymous-schema-35>"
              },
              "data": {
                "description": "Request-specific result.",
                "x-parser-schema-id": "<anonymous-schema-36>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "ack",
                "id": "req-1",
                "ok": true,
                "timestamp": "2026-01-15T10:30:00.000Z",
                "data": {
                  "messageId": "m-101"
                }
              }
            ]
          },
          "examples": [
            {
              "name": "ack",
              "payload": {
                "type": "ack",
                "id": 0,
                "ok": true,
                "data": {
                  "messageId": 101
                },
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "Ack"
        },
        "AckError": {
          "name": "error",
          "title": "acknowledgement (error)",
          "summary": "The argument of an acknowledgement callback when the event was refused: the WebSocket binding's `error` message ([SIO-013](protocol.html#SIO-013)).",
          "description": "source 002's `response.error ? reject(response.error) : resolve(response.data)` rejects with its `error`. Not an event: it travels in an ACK packet.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/error.json",
            "title": "ServerError",
            "description": "An error. Answers a bad client message (the connection stays open) or precedes a 4xxx close, then `error.closeCode` names the code.",
            "type": "object",
            "required": [
              "type",
              "error"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "error",
                "x-parser-schema-id": "<anonymous-schema-37>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "error": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/error-object.json",
                "title": "ErrorInfo",
                "description": "The `error` member of an `error` message. `code` is an upper-snake-case string; the known codes are listed in docs/protocol.md (\"Errors\"), others (such as the legacy `SOCKET_ERROR`) are allowed.",
                "type": "object",
                "required": [
                  "code",
                  "message"
                ],
                "properties": {
                  "code": {
                    "type": "string",
                    "pattern": "^[A-Z][A-Z0-9_]*$",
                    "description": "Stable error code.",
                    "x-parser-schema-id": "<anonymous-schema-38>"
                  },
                  "message": {
                    "type": "string",
                    "description": "Human-readable explanation.",
                    "x-parser-schema-id": "<anonymous-schema-39>"
                  },
                  "details": {
                    "description": "Any JSON value. For INVALID_MESSAGE an object `{path, errors}` whose `path` is the JSON Pointer of the failing value (`/` for the root).",
                    "x-parser-schema-id": "<anonymous-schema-40>"
                  },
                  "retryAfterMs": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Milliseconds to wait before retrying (RATE_LIMITED).",
                    "x-parser-schema-id": "<anonymous-schema-41>"
                  },
                  "closeCode": {
                    "type": "integer",
                    "minimum": 4000,
                    "maximum": 4999,
                    "description": "Present when the server closes the connection right after this message, with this code ([CL-001](protocol.html#CL-001)).",
                    "x-parser-schema-id": "<anonymous-schema-42>"
                  }
                },
                "additionalProperties": true,
                "examples": [
                  {
                    "code": "INVALID_MESSAGE",
                    "message": "must be integer",
                    "details": {
                      "path": "/conversationId",
                      "errors": []
                    }
                  },
                  {
                    "code": "RATE_LIMITED",
                    "message": "Too many messages",
                    "retryAfterMs": 12000
                  }
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "id": "req-3",
                "error": {
                  "code": "INVALID_MESSAGE",
                  "message": "must be integer",
                  "details": {
                    "path": "/conversationId",
                    "errors": []
                  }
                }
              },
              {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "error": {
                  "code": "BAD_REQUEST",
                  "message": "campaignId must be a positive integer",
                  "closeCode": 4400
                }
              }
            ]
          },
          "examples": [
            {
              "name": "error",
              "payload": {
                "type": "error",
                "id": 1,
                "error": {
                  "code": "FORBIDDEN",
                  "message": "conversation 13 belongs to another user"
                },
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "AckError"
        },
        "ServerNotificationNew": {
          "name": "notification:new",
          "title": "notification:new",
          "summary": "A new notification for the subscribed user.",
          "description": "Server data event carrying the WebSocket binding's `notification_new` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/notification_new.json",
            "title": "NotificationNew",
            "description": "A new notification for the subscribed user. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "notification"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "notification_new",
                "x-parser-schema-id": "<anonymous-schema-43>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "notification": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/notification.json",
                "title": "NotificationRecord",
                "description": "One notification.",
                "type": "object",
                "required": [
                  "id"
                ],
                "properties": {
                  "id": {
                    "type": [
                      "string",
                      "integer"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-44>"
                  },
                  "title": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-45>"
                  },
                  "body": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-46>"
                  },
                  "kind": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-47>"
                  },
                  "read": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-48>"
                  },
                  "createdAt": {
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "$id": "../common/timestamp.json",
                    "title": "Timestamp",
                    "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                    "type": "string",
                    "format": "date-time",
                    "examples": [
                      "2026-01-15T10:30:00.000Z",
                      "2024-01-01T10:15:00Z"
                    ]
                  }
                },
                "additionalProperties": true,
                "examples": [
                  {
                    "id": "n-9",
                    "title": "New comment",
                    "body": "Ali commented on project 7",
                    "kind": "comment",
                    "read": false,
                    "createdAt": "2026-01-15T10:30:00.000Z"
                  }
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "notification_new",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 1,
                "notification": {
                  "id": "n-9",
                  "title": "New comment",
                  "body": "Ali commented on project 7",
                  "kind": "comment",
                  "read": false,
                  "createdAt": "2026-01-15T10:30:00.000Z"
                }
              }
            ]
          },
          "examples": [
            {
              "name": "notification_new",
              "payload": {
                "type": "notification_new",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 1,
                "notification": {
                  "id": "n-9",
                  "title": "New comment",
                  "body": "Ali commented on project 7",
                  "kind": "comment",
                  "read": false,
                  "createdAt": "2026-01-15T10:30:00.000Z"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerNotificationNew"
        },
        "ServerNotificationUpdated": {
          "name": "notification:updated",
          "title": "notification:updated",
          "summary": "A notification changed, e.g.",
          "description": "Server data event carrying the WebSocket binding's `notification_updated` message (the same schema), then its offset (the message's `seq` as a string).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/notification_updated.json",
            "title": "NotificationUpdated",
            "description": "A notification changed, e.g. it was marked read. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type",
              "notification"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "notification_updated",
                "x-parser-schema-id": "<anonymous-schema-49>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "notification": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/notification.json",
                "title": "NotificationRecord",
                "description": "One notification.",
                "type": "object",
                "required": [
                  "id"
                ],
                "properties": {
                  "id": {
                    "type": [
                      "string",
                      "integer"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-50>"
                  },
                  "title": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-51>"
                  },
                  "body": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-52>"
                  },
                  "kind": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-53>"
                  },
                  "read": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-54>"
                  },
                  "createdAt": {
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "$id": "../common/timestamp.json",
                    "title": "Timestamp",
                    "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                    "type": "string",
                    "format": "date-time",
                    "examples": [
                      "2026-01-15T10:30:00.000Z",
                      "2024-01-01T10:15:00Z"
                    ]
                  }
                },
                "additionalProperties": true,
                "examples": [
                  {
                    "id": "n-9",
                    "title": "New comment",
                    "body": "Ali commented on project 7",
                    "kind": "comment",
                    "read": false,
                    "createdAt": "2026-01-15T10:30:00.000Z"
                  }
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "notification_updated",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 2,
                "notification": {
                  "id": "n-9",
                  "title": "New comment",
                  "body": "Ali commented on project 7",
                  "kind": "comment",
                  "read": true,
                  "createdAt": "2026-01-15T10:30:00.000Z"
                }
              }
            ]
          },
          "examples": [
            {
              "name": "notification_updated",
              "payload": {
                "type": "notification_updated",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 2,
                "notification": {
                  "id": "n-9",
                  "title": "New comment",
                  "body": "Ali commented on project 7",
                  "kind": "comment",
                  "read": true,
                  "createdAt": "2026-01-15T10:30:00.000Z"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerNotificationUpdated"
        },
        "ClientNotificationsSubscribe": {
          "name": "notifications:subscribe",
          "title": "notifications:subscribe",
          "summary": "Subscribes to the notifications of the user (`userId`, if given, must be the authenticated user).",
          "description": "Client event; becomes the WebSocket binding's `notifications_subscribe` message. With a callback, it is acknowledged with `ack` (`data` `{subscribed}`) or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/notifications_subscribe.json",
            "title": "NotificationsSubscribeEvent",
            "description": "Subscribes to the notifications of the user (`userId`, if given, must be the authenticated user).",
            "type": "object",
            "properties": {
              "userId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/user-id.json",
                "title": "UserId",
                "description": "A user id. The reference server uses decimal strings (`\"1\"`); the original systems also used numbers.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "examples": [
                  "1",
                  42
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "userId": "1"
              }
            ]
          },
          "examples": [
            {
              "name": "notifications_subscribe",
              "payload": {
                "userId": "1"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientNotificationsSubscribe"
        },
        "ClientNotificationsUnsubscribe": {
          "name": "notifications:unsubscribe",
          "title": "notifications:unsubscribe",
          "summary": "Stops the delivery of notifications.",
          "description": "Client event; becomes the WebSocket binding's `notifications_unsubscribe` message. With a callback, it is acknowledged with `ack` (`data` `{subscribed}`) or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/notifications_unsubscribe.json",
            "title": "NotificationsUnsubscribeEvent",
            "description": "Stops the delivery of notifications.",
            "type": "object",
            "properties": {
              "userId": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/user-id.json",
                "title": "UserId",
                "description": "A user id. The reference server uses decimal strings (`\"1\"`); the original systems also used numbers.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "examples": [
                  "1",
                  42
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "userId": "1"
              }
            ]
          },
          "examples": [
            {
              "name": "notifications_unsubscribe",
              "payload": {
                "userId": "1"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientNotificationsUnsubscribe"
        },
        "ClientNotificationRead": {
          "name": "notification:read",
          "title": "notification:read",
          "summary": "Marks one notification read.",
          "description": "Client event; becomes the WebSocket binding's `notification_read` message. With a callback, it is acknowledged with `ack` (`data` `{notificationId}`) or `error`; without one, a refusal comes as the `error` event.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../socketio-client/notification_read.json",
            "title": "NotificationReadEvent",
            "description": "Marks one notification read.",
            "type": "object",
            "required": [
              "notificationId"
            ],
            "properties": {
              "notificationId": {
                "type": [
                  "string",
                  "integer"
                ],
                "x-parser-schema-id": "<anonymous-schema-55>"
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "notificationId": "n-9"
              }
            ]
          },
          "examples": [
            {
              "name": "notification_read",
              "payload": {
                "notificationId": "n-9"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientNotificationRead"
        }
      },
      "tags": [
        {
          "name": "chat",
          "description": "Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003)."
        },
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "x-parser-unique-object-id": "socketio_notifications"
    }
  },
  "operations": {
    "socketio_notifications.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.socketio_notifications",
      "title": "Receive on Socket.IO /notifications",
      "summary": "Events the server emits on namespace /notifications.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_notifications.messages.ConnectionEstablished",
        "$ref:$.channels.socketio_notifications.messages.Error",
        "$ref:$.channels.socketio_notifications.messages.ServerNotificationNew",
        "$ref:$.channels.socketio_notifications.messages.ServerNotificationUpdated"
      ],
      "x-parser-unique-object-id": "socketio_notifications.receive"
    },
    "socketio_notifications.send.notifications_subscribe": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_notifications",
      "title": "Emit notifications:subscribe on Socket.IO /notifications",
      "summary": "Subscribes to the notifications of the user (`userId`, if given, must be the authenticated user).",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_notifications.messages.ClientNotificationsSubscribe"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_notifications",
        "messages": [
          "$ref:$.channels.socketio_notifications.messages.Ack",
          "$ref:$.channels.socketio_notifications.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_notifications.send.notifications_subscribe"
    },
    "socketio_notifications.send.notifications_unsubscribe": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_notifications",
      "title": "Emit notifications:unsubscribe on Socket.IO /notifications",
      "summary": "Stops the delivery of notifications.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_notifications.messages.ClientNotificationsUnsubscribe"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_notifications",
        "messages": [
          "$ref:$.channels.socketio_notifications.messages.Ack",
          "$ref:$.channels.socketio_notifications.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_notifications.send.notifications_unsubscribe"
    },
    "socketio_notifications.send.notification_read": {
      "action": "send",
      "channel": "$ref:$.channels.socketio_notifications",
      "title": "Emit notification:read on Socket.IO /notifications",
      "summary": "Marks one notification read.",
      "tags": [
        {
          "name": "socket.io",
          "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
        }
      ],
      "messages": [
        "$ref:$.channels.socketio_notifications.messages.ClientNotificationRead"
      ],
      "description": "With an acknowledgement callback, the reply is its one argument: exactly one `ack` or `error` message ([SIO-013](protocol.html#SIO-013)).",
      "reply": {
        "channel": "$ref:$.channels.socketio_notifications",
        "messages": [
          "$ref:$.channels.socketio_notifications.messages.Ack",
          "$ref:$.channels.socketio_notifications.messages.AckError"
        ]
      },
      "x-parser-unique-object-id": "socketio_notifications.send.notification_read"
    }
  },
  "x-parser-spec-parsed": true,
  "x-parser-api-version": 3,
  "x-parser-spec-stringified": true
};
    const config = {"show":{"sidebar":true},"sidebar":{"showOperations":"byDefault"}};
    const appRoot = document.getElementById('root');
    AsyncApiStandalone.render(
        { schema, config, }, appRoot
    );
  