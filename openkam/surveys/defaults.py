"""The default survey template's texts (the migration seeds it; services make it again if it
was deleted)."""

DEFAULT = {
    "name": "客户满意度调查",
    "name_en": "Customer satisfaction survey",
    "is_default": True,
    "intro": "感谢您抽出几分钟时间。您的意见将帮助我们改进产品与服务。",
    "intro_en": "Thank you for sparing a few minutes. Your views help us improve our products "
    "and service.",
    "product": "您对我们的产品（质量、性能、规格）满意吗？",
    "product_en": "How satisfied are you with our products (quality, performance, specifications)?",
    "service": "您对我们的服务（交付、售后、响应速度）满意吗？",
    "service_en": "How satisfied are you with our service (delivery, after-sales, responsiveness)?",
    "sales": "您对我们的销售人员（专业、沟通、跟进）满意吗？",
    "sales_en": "How satisfied are you with our sales staff (expertise, communication, follow-up)?",
    "nps": "您向同行或朋友推荐我们的可能性有多大？",
    "nps_en": "How likely are you to recommend us to a colleague or a friend?",
    "comment": "还有什么想告诉我们的吗？",
    "comment_en": "Is there anything else you would like to tell us?",
}
