from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(
        "用户名（毕业生可用身份证号或手机号）",
        validators=[DataRequired("请输入用户名、身份证号或手机号"), Length(max=64)],
    )
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码"), Length(max=200)])
    confirm = PasswordField("确认新密码", validators=[EqualTo("new", "两次输入的新密码不一致")])


class CodeForm(FlaskForm):
    code = StringField(
        "验证码（验证器上的6位数字，或一个恢复码）",
        validators=[DataRequired("请输入验证码"), Length(max=20)],
    )


class ResetForm(FlaskForm):
    username = StringField(
        "工作人员用户名", validators=[DataRequired("请输入用户名"), Length(max=64)]
    )
    reason = StringField("重置原因", validators=[DataRequired("请说明原因"), Length(max=200)])


class StartForm(FlaskForm):
    submit = SubmitField("开始设置两步验证")


class ForgotForm(FlaskForm):
    username = StringField("登录用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])


class NewPasswordForm(FlaskForm):
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码"), Length(max=200)])
    confirm = PasswordField("确认新密码", validators=[EqualTo("new", "两次输入的新密码不一致")])
